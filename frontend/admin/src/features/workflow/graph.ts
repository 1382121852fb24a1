import type { GraphProblem, StatusRead, TransitionRead } from "./api";

export interface Point {
  x: number;
  y: number;
}

export const COLUMN_WIDTH = 260;
export const ROW_HEIGHT = 120;

/** How far each status is from where orders start: the number of transitions on the
 * shortest path from the initial status (breadth-first). Without an initial status the
 * walk starts at every status nothing leads to (or, in a cycle, at the first by position).
 * Statuses no walk reaches are left out. */
export function depths(statuses: readonly StatusRead[], transitions: readonly TransitionRead[]): Map<string, number> {
  const ordered = [...statuses].sort(byPosition);
  const exits = new Map<string, string[]>();
  for (const transition of transitions) {
    const list = exits.get(transition.from_status) ?? [];
    list.push(transition.to_status);
    exits.set(transition.from_status, list);
  }
  const initial = ordered.find((status) => status.is_initial);
  const targets = new Set(transitions.map((transition) => transition.to_status));
  let roots = initial ? [initial.code] : ordered.filter((status) => !targets.has(status.code)).map((status) => status.code);
  if (roots.length === 0 && ordered[0]) roots = [ordered[0].code];
  const known = new Set(ordered.map((status) => status.code));
  const depth = new Map<string, number>(roots.map((code) => [code, 0]));
  let frontier = roots;
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const code of frontier) {
      for (const target of exits.get(code) ?? []) {
        if (!known.has(target) || depth.has(target)) continue;
        depth.set(target, (depth.get(code) ?? 0) + 1);
        next.push(target);
      }
    }
    frontier = next;
  }
  return depth;
}

function byPosition(a: StatusRead, b: StatusRead): number {
  return a.position - b.position || a.code.localeCompare(b.code);
}

/** Where each status is drawn: one column per depth from the initial status, left to right,
 * statuses of one column by position; statuses no path reaches get a column of their own
 * after the others, so that they stand out. */
export function layout(statuses: readonly StatusRead[], transitions: readonly TransitionRead[]): Map<string, Point> {
  const depth = depths(statuses, transitions);
  const unreachableColumn = depth.size === 0 ? 0 : Math.max(...depth.values()) + 1;
  const columns = new Map<number, StatusRead[]>();
  for (const status of [...statuses].sort(byPosition)) {
    const column = depth.get(status.code) ?? unreachableColumn;
    columns.set(column, [...(columns.get(column) ?? []), status]);
  }
  const points = new Map<string, Point>();
  for (const [column, members] of columns) {
    members.forEach((status, row) => points.set(status.code, { x: column * COLUMN_WIDTH, y: row * ROW_HEIGHT }));
  }
  return points;
}

export interface ProblemIndex {
  byStatus: Map<string, GraphProblem[]>;
  byTransition: Map<string, GraphProblem[]>;
  /** Problems of the whole workflow (no initial status). */
  general: GraphProblem[];
}

/** The graph's problems filed under what they concern, for drawing them on it. */
export function indexProblems(problems: readonly GraphProblem[]): ProblemIndex {
  const index: ProblemIndex = { byStatus: new Map(), byTransition: new Map(), general: [] };
  for (const problem of problems) {
    if (problem.transition_id) push(index.byTransition, problem.transition_id, problem);
    else if (problem.status) push(index.byStatus, problem.status, problem);
    else index.general.push(problem);
  }
  return index;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  map.set(key, [...(map.get(key) ?? []), value]);
}
