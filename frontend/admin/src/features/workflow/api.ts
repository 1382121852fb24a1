import { type ApiClient, IdempotencyKeys, type Schema, bodyOf, useApi } from "@oms/shared";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

export type StatusRead = Schema<"StatusRead">;
export type StatusCreate = Schema<"StatusCreate">;
export type StatusUpdate = Schema<"StatusUpdate">;
export type TransitionRead = Schema<"TransitionRead">;
export type TransitionCreate = Schema<"TransitionCreate">;
export type WorkflowGraph = Schema<"WorkflowGraph">;
export type GraphProblem = Schema<"GraphProblemRead">;
export type Role = Schema<"Role">;

// Every role, listed once: the compiler refuses this object if the API gains or loses one.
const ROLE_SET: Record<Role, true> = { admin: true, manager: true, customer: true };
export const ROLES = Object.keys(ROLE_SET) as Role[];

const WORKFLOW = ["workflow"] as const;

/** Statuses, transitions and the graph's problems in one answer: the editor's whole state. */
export function workflowGraphQuery(api: ApiClient) {
  return queryOptions({
    queryKey: [...WORKFLOW, "graph"],
    queryFn: () => bodyOf(api.GET("/api/v1/workflow/graph")),
  });
}

export function useWorkflowGraph() {
  return useQuery(workflowGraphQuery(useApi()));
}

/** After any write the whole workflow is read again: one change can add or clear problems
 * anywhere in the graph. */
function useRefresh() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: WORKFLOW });
}

export function useCreateStatus() {
  const api = useApi();
  const refresh = useRefresh();
  const [keys] = useState(() => new IdempotencyKeys());
  return useMutation({
    mutationFn: (body: StatusCreate) =>
      bodyOf(
        api.POST("/api/v1/workflow/statuses", {
          body,
          params: { header: { "Idempotency-Key": keys.keyFor(JSON.stringify(body)) } },
        }),
      ),
    onSuccess: () => {
      keys.settle();
      return refresh();
    },
  });
}

export function useUpdateStatus() {
  const api = useApi();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ code, body }: { code: string; body: StatusUpdate }) =>
      bodyOf(api.PATCH("/api/v1/workflow/statuses/{code}", { params: { path: { code } }, body })),
    onSettled: refresh,
  });
}

export function useDeleteStatus() {
  const api = useApi();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (code: string) => bodyOf(api.DELETE("/api/v1/workflow/statuses/{code}", { params: { path: { code } } })),
    onSettled: refresh,
  });
}

export function useCreateTransition() {
  const api = useApi();
  const refresh = useRefresh();
  const [keys] = useState(() => new IdempotencyKeys());
  return useMutation({
    mutationFn: (body: TransitionCreate) =>
      bodyOf(
        api.POST("/api/v1/workflow/transitions", {
          body,
          params: { header: { "Idempotency-Key": keys.keyFor(JSON.stringify(body)) } },
        }),
      ),
    onSuccess: () => {
      keys.settle();
      return refresh();
    },
  });
}

export function useUpdateTransition() {
  const api = useApi();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, roles }: { id: string; roles: Role[] }) =>
      bodyOf(api.PATCH("/api/v1/workflow/transitions/{transition_id}", { params: { path: { transition_id: id } }, body: { roles } })),
    onSettled: refresh,
  });
}

export function useDeleteTransition() {
  const api = useApi();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (id: string) =>
      bodyOf(api.DELETE("/api/v1/workflow/transitions/{transition_id}", { params: { path: { transition_id: id } } })),
    onSettled: refresh,
  });
}
