import { describe, expect, it } from "vitest";
import { type Change, documentProblems, documentTypeOf, groupChanges } from "./document";

describe("configuration documents", () => {
  it("sends a .json file as JSON and anything else as YAML", () => {
    expect(documentTypeOf({ name: "oms.json", type: "" })).toBe("application/json");
    expect(documentTypeOf({ name: "oms", type: "application/json" })).toBe("application/json");
    expect(documentTypeOf({ name: "oms.yaml", type: "application/x-yaml" })).toBe("application/yaml");
    expect(documentTypeOf({ name: "oms.yml", type: "" })).toBe("application/yaml");
  });

  it("groups the dry run's changes by kind, keeping their order", () => {
    const change = (op: Change["op"], path: string): Change => ({ op, path, before: null, after: null, line: path });
    const groups = groupChanges([change("change", "a"), change("add", "b"), change("remove", "c"), change("add", "d")]);
    expect(groups.add.map((c) => c.path)).toEqual(["b", "d"]);
    expect(groups.change.map((c) => c.path)).toEqual(["a"]);
    expect(groups.remove.map((c) => c.path)).toEqual(["c"]);
  });

  it("lists every problem at its document path, repeated paths too", () => {
    expect(
      documentProblems([
        { field: "statuses[2].code", message: "duplicate" },
        { field: "statuses[2].code", message: "too long" },
        { field: "body", message: "not YAML" },
      ]),
    ).toEqual([
      { path: "statuses[2].code", message: "duplicate" },
      { path: "statuses[2].code", message: "too long" },
      { path: "", message: "not YAML" },
    ]);
    expect(documentProblems(undefined)).toEqual([]);
  });
});
