import { Badge, Tooltip } from "@mantine/core";
import { useCustomerStatuses } from "../workflow/customerStatuses";

/** An order status in the deployment's colour, under the name customers know it by. */
export function StatusBadge({ code }: { code: string }) {
  const { data } = useCustomerStatuses();
  const status = data?.find((candidate) => candidate.code === code);
  const badge = (
    <Badge color={status?.colour ?? "gray"} autoContrast variant="filled">
      {status?.name ?? code}
    </Badge>
  );
  return status?.description ? <Tooltip label={status.description}>{badge}</Tooltip> : badge;
}
