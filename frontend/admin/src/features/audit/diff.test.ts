import { describe, expect, it } from "vitest";
import { jsonDiff, shownValue } from "./diff";

describe("jsonDiff", () => {
  it("lists changed, added and removed fields, sorted by path", () => {
    expect(jsonDiff({ name: "Shipped", colour: "#1f6feb", old: 1 }, { name: "On its way", colour: "#1f6feb", roles: ["admin"] })).toEqual([
      { path: "name", kind: "changed", before: "Shipped", after: "On its way" },
      { path: "old", kind: "removed", before: 1 },
      { path: "roles", kind: "added", after: ["admin"] },
    ]);
  });

  it("walks nested objects to their fields and compares lists whole", () => {
    expect(
      jsonDiff(
        { settings: { url: "https://a.example", timeout: 5 }, trigger_statuses: ["new", "paid"] },
        { settings: { url: "https://b.example", timeout: 5 }, trigger_statuses: ["new", "paid"] },
      ),
    ).toEqual([{ path: "settings.url", kind: "changed", before: "https://a.example", after: "https://b.example" }]);
    expect(jsonDiff({ roles: ["admin"] }, { roles: ["admin", "manager"] })).toEqual([
      { path: "roles", kind: "changed", before: ["admin"], after: ["admin", "manager"] },
    ]);
  });

  it("shows a creation as additions and a deletion as removals", () => {
    expect(jsonDiff(null, { code: "x" })).toEqual([{ path: "code", kind: "added", after: "x" }]);
    expect(jsonDiff({ code: "x" }, null)).toEqual([{ path: "code", kind: "removed", before: "x" }]);
    expect(jsonDiff(null, null)).toEqual([]);
  });

  it("tells null from a missing field and an object from a value", () => {
    expect(jsonDiff({ note: null }, { note: "hi" })).toEqual([{ path: "note", kind: "changed", before: null, after: "hi" }]);
    expect(jsonDiff({ a: { b: 1 } }, { a: 2 })).toEqual([{ path: "a", kind: "changed", before: { b: 1 }, after: 2 }]);
    expect(jsonDiff({ a: { b: 1 } }, { a: { b: 1 } })).toEqual([]);
  });
});

describe("shownValue", () => {
  it("shows JSON and cuts long values", () => {
    expect(shownValue("x")).toBe('"x"');
    expect(shownValue(null)).toBe("null");
    expect(shownValue("a".repeat(300), 10)).toBe('"aaaaaaaa…');
  });
});
