import { type ApiClient, ColourBadge, StatusBadge, bodyOf, useApi } from "@oms/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { useCan } from "../app/access";

/** Every status of the workflow under its staff name (`config:read`). */
export function workflowStatusesQuery(api: ApiClient) {
  return queryOptions({
    queryKey: ["workflow", "statuses"],
    queryFn: () => bodyOf(api.GET("/api/v1/workflow/statuses")),
    staleTime: 5 * 60_000,
  });
}

export function useWorkflowStatuses(enabled = true) {
  return useQuery({ ...workflowStatusesQuery(useApi()), enabled });
}

/** An order's status under its staff name and colour; under the customers' name for a user
 * who may not read the workflow. */
export function StatusLabel({ code }: { code: string }) {
  const canReadWorkflow = useCan("config:read") === true;
  const statuses = useWorkflowStatuses(canReadWorkflow);
  if (!canReadWorkflow) return <StatusBadge code={code} />;
  const status = statuses.data?.find((candidate) => candidate.code === code);
  return <ColourBadge colour={status?.colour ?? "#868e96"}>{status?.name ?? code}</ColourBadge>;
}
