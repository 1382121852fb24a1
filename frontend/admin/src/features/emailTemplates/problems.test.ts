import { ApiProblem } from "@oms/shared";
import { describe, expect, it } from "vitest";
import { partProblems } from "./problems";

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
