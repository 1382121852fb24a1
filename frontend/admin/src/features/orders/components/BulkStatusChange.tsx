import { Anchor, Button, Card, Group, Select, Stack, Table, Text, Textarea, Title } from "@mantine/core";
import { ColourBadge, isProblem, ProblemAlert, type Schema } from "@oms/shared";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type BulkResult, useBulkStatusChange } from "../api";
import { TONES } from "../../../lib/tones";

type Option = { value: string; label: string };

function problemText(problem: Schema<"Problem"> | null): string {
  if (!problem) return "";
  return problem.detail ? `${problem.title}: ${problem.detail}` : problem.title;
}

/** What became of each order of a bulk change: moved, or why not. */
export function BulkResults({ results, statusName, onDismiss }: { results: BulkResult[]; statusName: (code: string) => string; onDismiss: () => void }) {
  const { t } = useTranslation();
  const moved = results.filter((result) => result.ok).length;
  return (
    <Card withBorder component="section" aria-labelledby="bulk-results-title">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4" id="bulk-results-title">
          {t("orders.bulk.resultsTitle")}
        </Title>
        <Button variant="subtle" size="xs" onClick={onDismiss}>
          {t("orders.bulk.dismiss")}
        </Button>
      </Group>
      <Text size="sm" mb="sm" role="status">
        {t("orders.bulk.summary", { moved, refused: results.length - moved })}
      </Text>
      <Table.ScrollContainer minWidth={520}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("orders.table.number")}</Table.Th>
              <Table.Th>{t("orders.bulk.outcome")}</Table.Th>
              <Table.Th>{t("orders.bulk.detail")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {results.map((result) => (
              <Table.Tr key={result.order_id} data-result={result.ok ? "ok" : "refused"}>
                <Table.Td>
                  {result.number ? (
                    <Anchor component={Link} to={result.order_id}>
                      {result.number}
                    </Anchor>
                  ) : (
                    result.order_id
                  )}
                </Table.Td>
                <Table.Td>
                  <ColourBadge colour={result.ok ? TONES.good : TONES.bad}>
                    {result.ok ? t("orders.bulk.ok") : t("orders.bulk.refused")}
                  </ColourBadge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{result.ok && result.status ? t("orders.bulk.nowIn", { status: statusName(result.status) }) : problemText(result.problem)}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

/** Moves the selected orders to one status, each checked by the workflow on its own. */
export function BulkStatusChange({
  orderIds,
  statuses,
  onDone,
  onClear,
}: {
  orderIds: string[];
  statuses: Option[];
  onDone: (results: BulkResult[]) => void;
  onClear: () => void;
}) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const change = useBulkStatusChange();
  const submit = () => {
    if (!status) return;
    change.mutate(
      { orderIds, status, note },
      {
        onSuccess: (answer) => {
          setNote("");
          onDone(answer);
        },
      },
    );
  };
  return (
    <Card withBorder component="section" aria-labelledby="bulk-title">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4" id="bulk-title">
            {t("orders.bulk.title", { count: orderIds.length })}
          </Title>
          <Button variant="subtle" size="xs" onClick={onClear}>
            {t("orders.bulk.clearSelection")}
          </Button>
        </Group>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Select label={t("orders.bulk.toStatus")} data={statuses} value={status} onChange={setStatus} searchable w={220} />
          <Textarea
            label={t("orders.bulk.note")}
            value={note}
            onChange={(event) => setNote(event.currentTarget.value)}
            autosize
            minRows={1}
            maxLength={2000}
            style={{ flex: 1, minWidth: 220 }}
            error={isProblem(change.error) ? change.error.fieldErrors.note : undefined}
          />
          <Button onClick={submit} disabled={!status || orderIds.length === 0} loading={change.isPending}>
            {t("orders.bulk.apply", { count: orderIds.length })}
          </Button>
        </Group>
        <ProblemAlert error={change.error} />
      </Stack>
    </Card>
  );
}
