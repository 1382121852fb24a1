import { Badge, type BadgeProps, Tooltip } from "@mantine/core";
import type { ReactNode } from "react";
import { readableTextOn } from "../branding/contrast";
import { useCustomerStatuses } from "../workflow/customerStatuses";

// Mantine clips a badge's label with an ellipsis, which lets a table squeeze it to "SUCCE…".
const WHOLE_LABEL = { root: { flexShrink: 0 }, label: { overflow: "visible" } } as const;

/** A badge filled with a deployment's colour (a status's), its text black or white,
 * whichever reads, and always shown whole. */
export function ColourBadge({ colour, children, ...props }: { colour: string; children: ReactNode } & Omit<BadgeProps, "color">) {
  return (
    <Badge color={colour} c={readableTextOn(colour)} variant="filled" styles={WHOLE_LABEL} {...props}>
      {children}
    </Badge>
  );
}

/** An order status in the deployment's colour, under the name customers know it by. */
export function StatusBadge({ code }: { code: string }) {
  const { data } = useCustomerStatuses();
  const status = data?.find((candidate) => candidate.code === code);
  const badge = <ColourBadge colour={status?.colour ?? "#868e96"}>{status?.name ?? code}</ColourBadge>;
  return status?.description ? <Tooltip label={status.description}>{badge}</Tooltip> : badge;
}
