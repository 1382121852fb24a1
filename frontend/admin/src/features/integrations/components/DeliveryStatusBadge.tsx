import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { DeliveryStatus } from "../api";

const COLOURS: Record<DeliveryStatus, string> = { succeeded: "green", failed: "orange", dead: "red" };

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLOURS[status]} variant="light">
      {t(`integrations.deliveryStatus.${status}`)}
    </Badge>
  );
}
