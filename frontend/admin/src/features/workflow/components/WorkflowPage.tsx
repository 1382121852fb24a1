import { Alert, Anchor, Button, Card, Group, List, Modal, Stack, Table, Text, Title } from "@mantine/core";
import { ColourBadge, QueryState, useDocumentTitle } from "@oms/shared";
import { useMemo, useState } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { useCan } from "../../../app/access";
import { TONES } from "../../../lib/tones";
import { type GraphProblem, type WorkflowGraph as Graph, useWorkflowGraph } from "../api";
import { type ProblemIndex, indexProblems } from "../graph";
import { StatusEditor } from "./StatusEditor";
import { type TransitionDraft, TransitionEditor } from "./TransitionEditor";
import { WorkflowGraph } from "./WorkflowGraph";

type Editing =
  | { kind: "status"; code: string | null }
  | { kind: "transition"; id: string | null; draft: TransitionDraft | null };

function problemText(problem: GraphProblem, t: TFunction) {
  return t(`workflow.problems.${problem.kind}`, { defaultValue: problem.message });
}

function Problems({ graph, onEditStatus, onEditTransition }: { graph: Graph; onEditStatus: (code: string) => void; onEditTransition: (id: string) => void }) {
  const { t } = useTranslation();
  if (graph.problems.length === 0) {
    return (
      <Alert color="green" title={t("workflow.noProblemsTitle")}>
        {t("workflow.noProblems")}
      </Alert>
    );
  }
  return (
    <Alert color="red" title={t("workflow.problemsTitle", { count: graph.problems.length })} role="region" aria-label={t("workflow.problemsLabel")}>
      <List spacing={4} size="sm">
        {graph.problems.map((problem, index) => (
          <List.Item key={`${problem.kind}-${problem.status ?? ""}-${problem.transition_id ?? ""}-${index}`}>
            <Text span size="sm" fw={600}>
              {problemText(problem, t)}
            </Text>{" "}
            <Text span size="sm">
              {problem.message}
            </Text>{" "}
            {problem.transition_id ? (
              <Anchor component="button" type="button" size="sm" onClick={() => onEditTransition(problem.transition_id ?? "")}>
                {t("workflow.fixTransition")}
              </Anchor>
            ) : problem.status ? (
              <Anchor component="button" type="button" size="sm" onClick={() => onEditStatus(problem.status ?? "")}>
                {t("workflow.fixStatus", { code: problem.status })}
              </Anchor>
            ) : null}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

function ProblemBadges({ problems }: { problems: GraphProblem[] | undefined }) {
  const { t } = useTranslation();
  if (!problems?.length) return null;
  return (
    <Group gap={4}>
      {problems.map((problem) => (
        <ColourBadge key={problem.kind} colour={TONES.bad} size="sm">
          {problemText(problem, t)}
        </ColourBadge>
      ))}
    </Group>
  );
}

function StatusesTable({ graph, problems, editable, onEdit }: { graph: Graph; problems: ProblemIndex; editable: boolean; onEdit: (code: string) => void }) {
  const { t } = useTranslation();
  const yes = (value: boolean) => (value ? t("workflow.yes") : t("workflow.no"));
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped aria-labelledby="workflow-statuses">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("workflow.status.name")}</Table.Th>
            <Table.Th>{t("workflow.status.code")}</Table.Th>
            <Table.Th>{t("workflow.status.customerName")}</Table.Th>
            <Table.Th>{t("workflow.initial")}</Table.Th>
            <Table.Th>{t("workflow.terminal")}</Table.Th>
            <Table.Th>{t("workflow.status.releasesStock")}</Table.Th>
            <Table.Th>{t("workflow.status.position")}</Table.Th>
            <Table.Th>{t("workflow.problemsColumn")}</Table.Th>
            {editable && <Table.Th>{t("workflow.actions")}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[...graph.statuses]
            .sort((a, b) => a.position - b.position)
            .map((status) => (
              <Table.Tr key={status.code} id={`status-${status.code}`}>
                <Table.Td>
                  <ColourBadge colour={status.colour}>{status.name}</ColourBadge>
                </Table.Td>
                <Table.Td ff="monospace">{status.code}</Table.Td>
                <Table.Td>{status.customer_name ?? "–"}</Table.Td>
                <Table.Td>{yes(status.is_initial)}</Table.Td>
                <Table.Td>{yes(status.is_terminal)}</Table.Td>
                <Table.Td>{yes(status.releases_stock)}</Table.Td>
                <Table.Td>{status.position}</Table.Td>
                <Table.Td>
                  <ProblemBadges problems={problems.byStatus.get(status.code)} />
                </Table.Td>
                {editable && (
                  <Table.Td>
                    <Button size="compact-sm" variant="light" onClick={() => onEdit(status.code)} aria-label={t("workflow.status.editTitle", { name: status.name })}>
                      {t("workflow.edit")}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function TransitionsTable({ graph, problems, editable, onEdit }: { graph: Graph; problems: ProblemIndex; editable: boolean; onEdit: (id: string) => void }) {
  const { t } = useTranslation();
  const names = new Map(graph.statuses.map((status) => [status.code, status]));
  const badge = (code: string) => {
    const status = names.get(code);
    return status ? <ColourBadge colour={status.colour}>{status.name}</ColourBadge> : code;
  };
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped aria-labelledby="workflow-transitions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("workflow.transition.from")}</Table.Th>
            <Table.Th>{t("workflow.transition.to")}</Table.Th>
            <Table.Th>{t("workflow.transition.roles")}</Table.Th>
            <Table.Th>{t("workflow.problemsColumn")}</Table.Th>
            {editable && <Table.Th>{t("workflow.actions")}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {graph.transitions.map((transition) => (
            <Table.Tr key={transition.id}>
              <Table.Td>{badge(transition.from_status)}</Table.Td>
              <Table.Td>{badge(transition.to_status)}</Table.Td>
              <Table.Td>{transition.roles.map((role) => t(`workflow.roles.${role}`, { defaultValue: role })).join(", ") || "–"}</Table.Td>
              <Table.Td>
                <ProblemBadges problems={problems.byTransition.get(transition.id)} />
              </Table.Td>
              {editable && (
                <Table.Td>
                  <Button
                    size="compact-sm"
                    variant="light"
                    onClick={() => onEdit(transition.id)}
                    aria-label={t("workflow.transition.editTitle", {
                      from: names.get(transition.from_status)?.name ?? transition.from_status,
                      to: names.get(transition.to_status)?.name ?? transition.to_status,
                    })}
                  >
                    {t("workflow.edit")}
                  </Button>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Editor({ graph, editing, onDone }: { graph: Graph; editing: Editing | null; onDone: () => void }) {
  const { t } = useTranslation();
  const [stale, setStale] = useState(false);
  const close = () => {
    setStale(false);
    onDone();
  };
  const status = editing?.kind === "status" && editing.code ? (graph.statuses.find((candidate) => candidate.code === editing.code) ?? null) : null;
  const transition = editing?.kind === "transition" && editing.id ? (graph.transitions.find((candidate) => candidate.id === editing.id) ?? null) : null;
  const title =
    editing?.kind === "status"
      ? status
        ? t("workflow.status.editTitle", { name: status.name })
        : t("workflow.status.addTitle")
      : transition
        ? t("workflow.transition.editTitleShort")
        : t("workflow.transition.addTitle");
  // The edited thing is gone (deleted elsewhere, or renamed): nothing left to edit.
  const gone = (editing?.kind === "status" && editing.code && !status) || (editing?.kind === "transition" && editing.id && !transition);
  return (
    <Modal opened={editing !== null} onClose={close} title={title} size="lg">
      {stale && (
        <Alert color="yellow" mb="sm" role="alert">
          {t("workflow.stale")}
        </Alert>
      )}
      {gone ? (
        <Alert color="yellow" role="alert">
          {t("workflow.gone")}
        </Alert>
      ) : editing?.kind === "status" ? (
        <StatusEditor key={status ? JSON.stringify(status) : "new"} status={status} onDone={close} onStale={() => setStale(true)} />
      ) : editing?.kind === "transition" ? (
        <TransitionEditor
          key={transition ? JSON.stringify(transition) : JSON.stringify(editing.draft)}
          transition={transition}
          draft={editing.draft}
          statuses={graph.statuses}
          onDone={close}
          onStale={() => setStale(true)}
        />
      ) : null}
    </Modal>
  );
}

function Workflow({ graph }: { graph: Graph }) {
  const { t } = useTranslation();
  const editable = useCan("config:write") === true;
  const problems = useMemo(() => indexProblems(graph.problems), [graph.problems]);
  const [editing, setEditing] = useState<Editing | null>(null);
  const editStatus = (code: string | null) => editable && setEditing({ kind: "status", code });
  const editTransition = (id: string | null, draft: TransitionDraft | null = null) => editable && setEditing({ kind: "transition", id, draft });
  return (
    <Stack>
      <Problems graph={graph} onEditStatus={editStatus} onEditTransition={(id) => editTransition(id)} />
      <Card withBorder component="section" aria-labelledby="workflow-graph">
        <Stack gap="xs">
          <Title order={3} size="h4" id="workflow-graph">
            {t("workflow.graph.title")}
          </Title>
          <Text size="sm" c="dimmed">
            {editable ? t("workflow.graph.help") : t("workflow.graph.readOnly")}
          </Text>
          <WorkflowGraph
            graph={graph}
            problems={problems}
            editable={editable}
            onConnect={(from, to) => editTransition(null, { from_status: from, to_status: to })}
            onEditStatus={editStatus}
            onEditTransition={editTransition}
          />
        </Stack>
      </Card>
      <Card withBorder component="section" aria-labelledby="workflow-statuses">
        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={3} size="h4" id="workflow-statuses">
              {t("workflow.statuses")}
            </Title>
            {editable && <Button onClick={() => editStatus(null)}>{t("workflow.status.add")}</Button>}
          </Group>
          <StatusesTable graph={graph} problems={problems} editable={editable} onEdit={editStatus} />
        </Stack>
      </Card>
      <Card withBorder component="section" aria-labelledby="workflow-transitions">
        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={3} size="h4" id="workflow-transitions">
              {t("workflow.transitions")}
            </Title>
            {editable && (
              <Button onClick={() => editTransition(null)} disabled={graph.statuses.length < 2}>
                {t("workflow.transition.add")}
              </Button>
            )}
          </Group>
          <TransitionsTable graph={graph} problems={problems} editable={editable} onEdit={editTransition} />
        </Stack>
      </Card>
      <Editor graph={graph} editing={editing} onDone={() => setEditing(null)} />
    </Stack>
  );
}

export function WorkflowPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("nav.workflow"));
  const graph = useWorkflowGraph();
  return (
    <Stack>
      <Title order={2}>{t("nav.workflow")}</Title>
      <QueryState query={graph} lines={8}>
        {(data) => <Workflow graph={data} />}
      </QueryState>
    </Stack>
  );
}
