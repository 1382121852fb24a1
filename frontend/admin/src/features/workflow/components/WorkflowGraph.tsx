import "@xyflow/react/dist/style.css";
import "./WorkflowGraph.css";
import { Badge, Box, Group, Text } from "@mantine/core";
import { ColourBadge } from "@oms/shared";
import {
  Background,
  type Connection,
  Controls,
  type Edge,
  type EdgeMouseHandler,
  Handle,
  MarkerType,
  type Node,
  type NodeMouseHandler,
  type NodeProps,
  Position,
  ReactFlow,
  applyNodeChanges,
  type NodeChange,
  useReactFlow,
} from "@xyflow/react";
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { GraphProblem, WorkflowGraph as Graph } from "../api";
import { type Point, type ProblemIndex, layout } from "../graph";

const PROBLEM = "var(--mantine-color-red-7)";

interface StatusNodeData extends Record<string, unknown> {
  name: string;
  code: string;
  colour: string;
  isInitial: boolean;
  isTerminal: boolean;
  problems: GraphProblem[];
}
type StatusNode = Node<StatusNodeData, "status">;

function StatusNodeView({ data, selected }: NodeProps<StatusNode>) {
  const { t } = useTranslation();
  const flagged = data.problems.length > 0;
  return (
    <Box
      data-problem={flagged || undefined}
      p="xs"
      w={200}
      bg="var(--mantine-color-body)"
      style={{
        borderRadius: 8,
        border: flagged ? `3px solid ${PROBLEM}` : `1px solid var(--mantine-color-gray-5)`,
        boxShadow: selected ? "0 0 0 3px var(--mantine-color-blue-4)" : undefined,
      }}
    >
      <Handle type="target" position={Position.Left} />
      <Group gap={4} justify="space-between" wrap="nowrap">
        <ColourBadge colour={data.colour} size="sm" maw={140}>
          {data.name}
        </ColourBadge>
        {flagged && (
          <Badge color="red" size="sm" variant="filled" aria-hidden>
            {t("workflow.graph.problemCount", { count: data.problems.length })}
          </Badge>
        )}
      </Group>
      <Text size="xs" c="dimmed" mt={4} ff="monospace">
        {data.code}
      </Text>
      <Group gap={4} mt={4}>
        {data.isInitial && (
          <Badge size="xs" variant="light" color="blue">
            {t("workflow.initial")}
          </Badge>
        )}
        {data.isTerminal && (
          <Badge size="xs" variant="light" color="gray">
            {t("workflow.terminal")}
          </Badge>
        )}
      </Group>
      {flagged && (
        <Text size="xs" c="red.8" mt={4} lineClamp={2}>
          {data.problems.map((problem) => t(`workflow.problems.${problem.kind}`, { defaultValue: problem.message })).join(" · ")}
        </Text>
      )}
      {!data.isTerminal && <Handle type="source" position={Position.Right} />}
    </Box>
  );
}

const NODE_TYPES = { status: StatusNodeView };
const FIT_VIEW = { padding: 0.2 };

/** Fits the graph to the view again when statuses come or go (`codes` changes), so that a
 * status just added is in sight, not drawn past the edge; other changes keep the user's
 * pan and zoom. */
function FitViewOnNewStatuses({ codes }: { codes: string }) {
  const { fitView } = useReactFlow();
  const shown = useRef(codes);
  useEffect(() => {
    if (shown.current === codes) return;
    shown.current = codes;
    void fitView(FIT_VIEW);
  }, [codes, fitView]);
  return null;
}

/** The workflow drawn as a graph, laid out by distance from the initial status: drag from
 * one status's right handle to another to add a transition, click (or focus and press Enter
 * on) a status or a transition to edit it. Problems are outlined in red on what they
 * concern. Positions dragged to are kept while the page is open, not saved. */
export function WorkflowGraph({
  graph,
  problems,
  editable,
  onConnect,
  onEditStatus,
  onEditTransition,
}: {
  graph: Graph;
  problems: ProblemIndex;
  editable: boolean;
  onConnect: (from: string, to: string) => void;
  onEditStatus: (code: string) => void;
  onEditTransition: (id: string) => void;
}) {
  const { t } = useTranslation();
  const [moved, setMoved] = useState<Record<string, Point>>({});
  const names = useMemo(() => new Map(graph.statuses.map((status) => [status.code, status.name])), [graph.statuses]);

  const nodes: StatusNode[] = useMemo(() => {
    const points = layout(graph.statuses, graph.transitions);
    return graph.statuses.map((status) => {
      const flagged = problems.byStatus.get(status.code) ?? [];
      const description = [
        status.name,
        status.is_initial ? t("workflow.initial") : null,
        status.is_terminal ? t("workflow.terminal") : null,
        ...flagged.map((problem) => t(`workflow.problems.${problem.kind}`, { defaultValue: problem.message })),
      ].filter(Boolean);
      return {
        id: status.code,
        type: "status",
        position: moved[status.code] ?? points.get(status.code) ?? { x: 0, y: 0 },
        ariaLabel: description.join(", "),
        connectable: editable,
        data: {
          name: status.name,
          code: status.code,
          colour: status.colour,
          isInitial: status.is_initial,
          isTerminal: status.is_terminal,
          problems: flagged,
        },
      };
    });
  }, [graph, problems, editable, moved, t]);

  const edges: Edge[] = graph.transitions.map((transition) => {
    const flagged = problems.byTransition.get(transition.id) ?? [];
    const roles = transition.roles.map((role) => t(`workflow.roles.${role}`, { defaultValue: role })).join(", ");
    const label = flagged.length > 0 ? `⚠ ${t("workflow.problems.no_role")}` : roles;
    return {
      id: transition.id,
      source: transition.from_status,
      target: transition.to_status,
      label,
      ariaLabel: t("workflow.graph.edgeLabel", {
        from: names.get(transition.from_status) ?? transition.from_status,
        to: names.get(transition.to_status) ?? transition.to_status,
        roles: roles || t("workflow.graph.noRoles"),
      }) + (flagged.length > 0 ? `, ${flagged.map((problem) => t(`workflow.problems.${problem.kind}`, { defaultValue: problem.message })).join(", ")}` : ""),
      markerEnd: { type: MarkerType.ArrowClosed, color: flagged.length > 0 ? PROBLEM : undefined },
      style: flagged.length > 0 ? { stroke: PROBLEM, strokeWidth: 3, strokeDasharray: "6 4" } : { strokeWidth: 1.5 },
      labelStyle: flagged.length > 0 ? { fill: PROBLEM, fontWeight: 700 } : undefined,
      labelBgPadding: [4, 2],
      className: flagged.length > 0 ? "oms-problem-edge" : undefined,
    };
  });

  const onNodesChange = (changes: NodeChange<StatusNode>[]) => {
    const next = applyNodeChanges(changes, nodes);
    const positions: Record<string, Point> = {};
    for (const change of changes) {
      if (change.type !== "position" || !change.position) continue;
      const node = next.find((candidate) => candidate.id === change.id);
      if (node) positions[node.id] = node.position;
    }
    if (Object.keys(positions).length > 0) setMoved((current) => ({ ...current, ...positions }));
  };
  const onNodeClick: NodeMouseHandler<StatusNode> = (_, node) => onEditStatus(node.id);
  const onEdgeClick: EdgeMouseHandler = (_, edge) => onEditTransition(edge.id);
  const connect = (connection: Connection) => {
    if (connection.source && connection.target && connection.source !== connection.target) onConnect(connection.source, connection.target);
  };
  // Keyboard: a focused status or transition opens its editor on Enter.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== "Enter") return;
    const target = event.target as Element;
    const node = target.closest(".react-flow__node");
    const edge = target.closest(".react-flow__edge");
    const id = (node ?? edge)?.getAttribute("data-id");
    if (!id) return;
    event.preventDefault();
    if (node) onEditStatus(id);
    else onEditTransition(id);
  };

  return (
    <Box h={480} style={{ border: "1px solid var(--mantine-color-gray-4)", borderRadius: 8 }} onKeyDown={onKeyDown}>
      <ReactFlow<StatusNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onConnect={connect}
        onNodeClick={onNodeClick}
        onEdgeClick={onEdgeClick}
        nodesConnectable={editable}
        edgesReconnectable={false}
        deleteKeyCode={null}
        fitView
        fitViewOptions={FIT_VIEW}
        minZoom={0.3}
        ariaLabelConfig={{
          "node.a11yDescription.default": t("workflow.graph.nodeHelp"),
          "node.a11yDescription.keyboardDisabled": t("workflow.graph.nodeHelp"),
          "edge.a11yDescription.default": t("workflow.graph.edgeHelp"),
          "controls.ariaLabel": t("workflow.graph.controls"),
          "controls.zoomIn.ariaLabel": t("workflow.graph.zoomIn"),
          "controls.zoomOut.ariaLabel": t("workflow.graph.zoomOut"),
          "controls.fitView.ariaLabel": t("workflow.graph.fitView"),
          "controls.interactive.ariaLabel": t("workflow.graph.interactive"),
          "handle.ariaLabel": t("workflow.graph.handle"),
        }}
      >
        <Background />
        <Controls showInteractive={false} />
        <FitViewOnNewStatuses codes={graph.statuses.map((status) => status.code).join(" ")} />
      </ReactFlow>
    </Box>
  );
}
