import { Alert, Anchor, Breadcrumbs, Button, Card, Checkbox, Code, FileInput, Group, List, Progress, SimpleGrid, Stack, Switch, Table, Text, Title } from "@mantine/core";
import { ProblemAlert, useDocumentTitle } from "@oms/shared";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { ImportRow } from "../api";
import { type ImportProgress, useCsvImport } from "../useCsvImport";

const COLUMNS = ["sku", "name", "description", "price", "stock", "category", "active", "attributes"] as const;
/** Rows shown at once: a file of thousands would make the page slow to use. */
const SHOWN_ROWS = 1000;

// Dark enough to read on the table's stripes.
const OUTCOME_COLOUR: Record<ImportRow["outcome"], string> = { created: "teal.9", updated: "blue.9", failed: "red.9" };

function Figures({ progress }: { progress: ImportProgress }) {
  const { t } = useTranslation();
  const figure = (label: string, value: number) => (
    <Card withBorder padding="sm">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
    </Card>
  );
  const [created, updated] = progress.dryRun
    ? [t("catalogue.import.wouldCreate"), t("catalogue.import.wouldUpdate")]
    : [t("catalogue.import.created"), t("catalogue.import.updated")];
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }}>
      {figure(created, progress.created)}
      {figure(updated, progress.updated)}
      {figure(t("catalogue.import.failed"), progress.failed)}
    </SimpleGrid>
  );
}

function Results({ rows }: { rows: ImportRow[] }) {
  const { t } = useTranslation();
  const anyFailed = rows.some((row) => row.outcome === "failed");
  const [onlyFailed, setOnlyFailed] = useState(true);
  const listed = anyFailed && onlyFailed ? rows.filter((row) => row.outcome === "failed") : rows;
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={3} size="h4">
          {t("catalogue.import.results")}
        </Title>
        {anyFailed && <Switch label={t("catalogue.import.onlyFailed")} checked={onlyFailed} onChange={(event) => setOnlyFailed(event.currentTarget.checked)} />}
      </Group>
      <Table.ScrollContainer minWidth={560}>
        <Table striped aria-label={t("catalogue.import.results")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("catalogue.import.line")}</Table.Th>
              <Table.Th>{t("catalogue.product.sku")}</Table.Th>
              <Table.Th>{t("catalogue.import.outcome")}</Table.Th>
              <Table.Th>{t("catalogue.import.errors")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {listed.slice(0, SHOWN_ROWS).map((row) => (
              <Table.Tr key={row.row}>
                <Table.Td>{row.row}</Table.Td>
                <Table.Td ff="monospace">{row.sku ?? "—"}</Table.Td>
                <Table.Td>
                  <Text size="sm" fw={600} c={OUTCOME_COLOUR[row.outcome]}>
                    {t(`catalogue.import.outcomes.${row.outcome}`)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {row.errors.length > 0 && (
                    <List size="sm" spacing={2}>
                      {row.errors.map((error, index) => (
                        <List.Item key={index}>
                          <Code>{error.field}</Code> {error.message}
                        </List.Item>
                      ))}
                    </List>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {listed.length > SHOWN_ROWS && (
        <Text size="sm" c="dimmed">
          {t("catalogue.import.moreRows", { count: listed.length - SHOWN_ROWS })}
        </Text>
      )}
    </Stack>
  );
}

export function ImportPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("catalogue.import.title"));
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(false);
  const { progress, start } = useCsvImport();
  const busy = progress.phase === "reading" || progress.phase === "sending";
  const percent = progress.total ? Math.round((progress.done / progress.total) * 100) : 0;
  const fileProblem = progress.error === "notUtf8" || progress.error === "noRows" ? (progress.error as string) : null;
  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to="/products">
          {t("catalogue.products.title")}
        </Anchor>
        <Text>{t("catalogue.import.title")}</Text>
      </Breadcrumbs>
      <Title order={2}>{t("catalogue.import.title")}</Title>
      <Text>{t("catalogue.import.intro")}</Text>
      <Text size="sm">
        {t("catalogue.import.columns")}{" "}
        {COLUMNS.map((column, index) => (
          <span key={column}>
            {index > 0 && ", "}
            <Code>{column}</Code>
          </span>
        ))}
        . {t("catalogue.import.columnsHint")}
      </Text>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (file) void start(file, dryRun);
        }}
      >
        <Group align="flex-end" wrap="wrap">
          <FileInput label={t("catalogue.import.file")} accept=".csv,text/csv" value={file} onChange={setFile} clearable clearButtonProps={{ "aria-label": t("catalogue.import.clearFile") }} w={320} />
          <Checkbox label={t("catalogue.import.dryRun")} checked={dryRun} onChange={(event) => setDryRun(event.currentTarget.checked)} mb={8} />
          <Button type="submit" disabled={!file} loading={busy}>
            {dryRun ? t("catalogue.import.check") : t("catalogue.import.start")}
          </Button>
        </Group>
      </form>
      {progress.phase !== "idle" && (
        <Stack gap={4}>
          <Progress.Root size="lg">
            <Progress.Section value={percent} aria-label={t("catalogue.import.progress")} color={progress.phase === "failed" ? "red" : undefined} />
          </Progress.Root>
          <Text size="sm" role="status">
            {t("catalogue.import.progressText", { done: progress.done, total: progress.total, percent })}
          </Text>
        </Stack>
      )}
      {fileProblem && (
        <Alert color="red" role="alert">
          {t(`catalogue.import.${fileProblem}`)}
        </Alert>
      )}
      {!fileProblem && progress.phase === "failed" && <ProblemAlert error={progress.error} title={progress.dryRun ? t("catalogue.import.stoppedCheck") : t("catalogue.import.stopped")} />}
      {progress.phase === "done" && (
        <Alert color={progress.failed ? "yellow" : "green"} role="status">
          {progress.dryRun ? t("catalogue.import.checkedNothingSaved") : t("catalogue.import.finished")}
        </Alert>
      )}
      {(progress.phase === "done" || progress.phase === "failed" || progress.phase === "sending") && progress.rows.length > 0 && (
        <>
          <Figures progress={progress} />
          <Results rows={progress.rows} />
        </>
      )}
    </Stack>
  );
}
