import { Badge, Code, Group, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { type DiffLine, jsonDiff, shownValue } from "../diff";
import type { AuditEntry } from "../api";

const COLOURS = { added: "green", removed: "red", changed: "orange" } as const;

function Line({ line }: { line: DiffLine }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="nowrap" align="flex-start" data-testid="diff-line">
      <Badge size="xs" variant="light" color={COLOURS[line.kind]} style={{ flexShrink: 0 }}>
        {t(`audit.diff.${line.kind}`)}
      </Badge>
      <Text size="xs" style={{ wordBreak: "break-word" }}>
        <Code>{line.path}</Code>{" "}
        {line.kind !== "added" && (
          <Text span size="xs" td={line.kind === "removed" ? undefined : "line-through"} c="red">
            {shownValue(line.before)}
          </Text>
        )}
        {line.kind === "changed" && " → "}
        {line.kind !== "removed" && (
          <Text span size="xs" c="green">
            {shownValue(line.after)}
          </Text>
        )}
      </Text>
    </Group>
  );
}

/** An entry's before -> after as the fields it added, removed or changed. */
export function EntryDiff({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const lines = jsonDiff(entry.before, entry.after);
  if (lines.length === 0) {
    return (
      <Text size="xs" c="dimmed">
        {t("audit.diff.none")}
      </Text>
    );
  }
  return (
    <Stack gap={2} aria-label={t("audit.diff.label")}>
      {lines.map((line) => (
        <Line key={line.path} line={line} />
      ))}
    </Stack>
  );
}
