import { ApiProblem } from "@oms/shared";
import { describe, expect, it } from "vitest";
import { partProblems, refusedAsIs } from "./problems";

const refused = (errors: { field: string; message: string }[]) =>
  new ApiProblem({ status: 400, type: "urn:oms:problem:validation", title: "Invalid", errors: errors.map((e) => ({ ...e, type: "template" })) });

describe("partProblems", () => {
  it("reads the part, the line and the reason of each problem", () => {
    const error = refused([
      { field: "html", message: "line 3: unexpected '}'" },
      { field: "text", message: "'order' is undefined" },
    ]);
    expect(partProblems(error)).toEqual({
      html: { line: 3, reason: "unexpected '}'" },
      text: { line: null, reason: "'order' is undefined" },
    });
  });

  it("takes a field under body. as the part", () => {
    expect(partProblems(refused([{ field: "body.subject", message: "String should have at least 1 character" }]))).toEqual({
      subject: { line: null, reason: "String should have at least 1 character" },
    });
  });

  it("finds nothing in what is not a problem", () => {
    expect(partProblems(new Error("x"))).toEqual({});
    expect(partProblems(undefined)).toEqual({});
  });
});

describe("refusedAsIs", () => {
  const draft = { subject: "{{ order.number ", html: "<p>x</p>", text: "x" };
  const error = refused([{ field: "subject", message: "line 1: unexpected end of template" }]);

  it("holds while the refused draft is the one edited", () => {
    expect(refusedAsIs(draft, { ...draft }, error)).toBe(true);
  });

  it("ends once the draft is edited on, or when no part was refused", () => {
    expect(refusedAsIs(draft, { ...draft, subject: "{{ order.number }}" }, error)).toBe(false);
    expect(refusedAsIs(undefined, draft, error)).toBe(false);
    expect(refusedAsIs(draft, draft, new Error("offline"))).toBe(false);
  });
});
