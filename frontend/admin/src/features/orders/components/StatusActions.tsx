import { Alert, Button, Card, Group, Stack, Text, Textarea, Title } from "@mantine/core";
import { ProblemAlert, isProblem, isStaleEdit, readableTextOn } from "@oms/shared";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type Order, useChangeStatus, useTransitions } from "../api";
import { StatusLabel } from "../../../lib/StatusLabel";

/** A button for each status the caller may move the order to now, with an optional note. */
export function StatusActions({ order }: { order: Order }) {
  const { t } = useTranslation();
  const transitions = useTransitions(order.id, order.version);
  const change = useChangeStatus(order.id);
  const [note, setNote] = useState("");
  // The version the user saw when a change was refused as stale: what is shown now is fresher.
  const [staleFrom, setStaleFrom] = useState<number | null>(null);
  const move = (status: string) => {
    setStaleFrom(null);
    change.mutate(
      { status, note, version: order.version },
      {
        onSuccess: () => setNote(""),
        onError: (error) => {
          if (isStaleEdit(error)) setStaleFrom(order.version);
        },
      },
    );
  };
  const targets = transitions.data ?? [];
  return (
    <Card withBorder component="section" aria-labelledby="status-actions-title">
      <Stack gap="sm">
        <Title order={3} size="h4" id="status-actions-title">
          {t("orders.change.title")}
        </Title>
        {staleFrom !== null && (
          <Alert color="yellow" title={t("orders.change.staleTitle")} role="alert">
            <Stack gap={4}>
              <Text size="sm">{t("orders.change.staleText")}</Text>
              {order.version !== staleFrom && (
                <Group gap="xs">
                  <Text size="sm">{t("orders.change.nowIs")}</Text>
                  <StatusLabel code={order.status} />
                </Group>
              )}
            </Stack>
          </Alert>
        )}
        {change.isError && !isStaleEdit(change.error) && <ProblemAlert error={change.error} />}
        {transitions.isPending ? null : targets.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("orders.change.none")}
          </Text>
        ) : (
          <>
            <Textarea
              label={t("orders.change.note")}
              value={note}
              onChange={(event) => setNote(event.currentTarget.value)}
              autosize
              minRows={2}
              maxLength={2000}
              error={isProblem(change.error) ? change.error.fieldErrors.note : undefined}
            />
            <Group gap="sm">
              {targets.map((target) => (
                <Button
                  key={target.code}
                  color={target.colour}
                  c={readableTextOn(target.colour)}
                  onClick={() => move(target.code)}
                  loading={change.isPending && change.variables.status === target.code}
                  disabled={change.isPending}
                >
                  {t("orders.change.moveTo", { status: target.name })}
                </Button>
              ))}
            </Group>
          </>
        )}
      </Stack>
    </Card>
  );
}
