import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { LiveState } from "../api";

const COLOURS: Record<LiveState, string> = { live: "green", connecting: "gray", off: "red" };

/** Whether the page follows the server's order events right now. */
export function LiveIndicator({ state }: { state: LiveState }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLOURS[state]} variant="dot" role="status" aria-live="polite" data-live={state}>
      {t(`orders.live.${state}`)}
    </Badge>
  );
}
