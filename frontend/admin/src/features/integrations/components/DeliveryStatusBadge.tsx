import { ColourBadge } from "@oms/shared";
import { useTranslation } from "react-i18next";
import { TONES } from "../../../lib/tones";
import type { DeliveryStatus } from "../api";

const COLOURS: Record<DeliveryStatus, string> = { succeeded: TONES.good, failed: TONES.warning, dead: TONES.bad };

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  const { t } = useTranslation();
  return (
    <ColourBadge colour={COLOURS[status]}>
      {t(`integrations.deliveryStatus.${status}`)}
    </ColourBadge>
  );
}
