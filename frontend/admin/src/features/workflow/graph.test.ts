import { describe, expect, it } from "vitest";
import type { StatusRead, TransitionRead } from "./api";
import { COLUMN_WIDTH, ROW_HEIGHT, depths, indexProblems, layout } from "./graph";

function status(code: string, position: number, extra: Partial<StatusRead> = {}): StatusRead {
  return {
    code,
    name: code,
    customer_name: null,
    customer_description: null,
    colour: "#64748b",
    is_initial: false,
    is_terminal: false,
    releases_stock: false,
    position,
    ...extra,
  };
}

function transition(from: string, to: string): TransitionRead {
  return { id: `${from}-${to}`, from_status: from, to_status: to, roles: ["admin"] };
}

const STATUSES = [
  status("pending", 0, { is_initial: true }),
  status("confirmed", 1),
  status("cancelled", 2, { is_terminal: true }),
  status("shipped", 3),
  status("delivered", 4, { is_terminal: true }),
  status("orphan", 5),
];
const TRANSITIONS = [
  transition("pending", "confirmed"),
  transition("pending", "cancelled"),
  transition("confirmed", "shipped"),
  transition("confirmed", "cancelled"),
  transition("shipped", "delivered"),
  transition("delivered", "pending"),
];

describe("the workflow graph's layout", () => {
  it("counts each status's shortest distance from the initial one, leaving out what no path reaches", () => {
    expect(Object.fromEntries(depths(STATUSES, TRANSITIONS))).toEqual({
      pending: 0,
      confirmed: 1,
      cancelled: 1,
      shipped: 2,
      delivered: 3,
    });
  });

  it("puts one column per depth, rows by position, and the unreachable after the last column", () => {
    const points = layout(STATUSES, TRANSITIONS);
    expect(points.get("pending")).toEqual({ x: 0, y: 0 });
    expect(points.get("confirmed")).toEqual({ x: COLUMN_WIDTH, y: 0 });
    expect(points.get("cancelled")).toEqual({ x: COLUMN_WIDTH, y: ROW_HEIGHT });
    expect(points.get("delivered")).toEqual({ x: 3 * COLUMN_WIDTH, y: 0 });
    expect(points.get("orphan")).toEqual({ x: 4 * COLUMN_WIDTH, y: 0 });
  });

  it("starts from what nothing leads to when no status is initial, and from the first of a cycle", () => {
    const noInitial = STATUSES.map((s) => ({ ...s, is_initial: false }));
    expect(depths(noInitial, TRANSITIONS.slice(0, 5)).get("orphan")).toBe(0);
    expect(depths(noInitial, TRANSITIONS.slice(0, 5)).get("pending")).toBe(0);
    const cycle = [status("a", 1), status("b", 0)];
    expect(Object.fromEntries(depths(cycle, [transition("a", "b"), transition("b", "a")]))).toEqual({ b: 0, a: 1 });
  });

  it("draws an empty workflow as nothing, and ignores transitions to statuses it does not list", () => {
    expect(layout([], []).size).toBe(0);
    expect(Object.fromEntries(depths([status("a", 0, { is_initial: true })], [transition("a", "gone")]))).toEqual({ a: 0 });
  });
});

describe("the graph's problems", () => {
  it("are filed under their transition, else their status, else the whole workflow", () => {
    const index = indexProblems([
      { kind: "no_initial_status", message: "none" },
      { kind: "unreachable", message: "u", status: "orphan" },
      { kind: "dead_end", message: "d", status: "orphan" },
      { kind: "no_role", message: "r", transition_id: "t1", status: null },
    ]);
    expect(index.general.map((p) => p.kind)).toEqual(["no_initial_status"]);
    expect(index.byStatus.get("orphan")?.map((p) => p.kind)).toEqual(["unreachable", "dead_end"]);
    expect(index.byTransition.get("t1")?.map((p) => p.kind)).toEqual(["no_role"]);
  });
});
