import { describe, expect, it } from "vitest";
import { MAX_BULK_ORDERS, chunked } from "./api";

describe("a bulk change of many orders", () => {
  it("is sent in runs the API accepts, every order once and in order", () => {
    const ids = Array.from({ length: 2 * MAX_BULK_ORDERS + 1 }, (_, index) => `o${index}`);
    const runs = chunked(ids, MAX_BULK_ORDERS);
    expect(runs.map((run) => run.length)).toEqual([MAX_BULK_ORDERS, MAX_BULK_ORDERS, 1]);
    expect(runs.flat()).toEqual(ids);
  });

  it("sends nothing for no orders and one run for a few", () => {
    expect(chunked([], MAX_BULK_ORDERS)).toEqual([]);
    expect(chunked(["a", "b"], MAX_BULK_ORDERS)).toEqual([["a", "b"]]);
  });
});
