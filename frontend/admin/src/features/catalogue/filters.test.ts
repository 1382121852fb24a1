import { describe, expect, it } from "vitest";
import { DEFAULT_FILTER, filterFromSearch, searchFromFilter } from "./filters";

describe("the product list's filter in the URL", () => {
  it("round-trips every field", () => {
    const filter = { q: "oak chair", category: "5b9d3e1f-2a4c-4e6b-8d0f-1a3c5e7b9d2f", state: "archived" as const };
    expect(filterFromSearch(searchFromFilter(filter))).toEqual(filter);
  });

  it("leaves the defaults out of the URL", () => {
    expect(searchFromFilter(DEFAULT_FILTER).toString()).toBe("");
    expect(searchFromFilter({ ...DEFAULT_FILTER, q: "  " }).toString()).toBe("");
  });

  it("reads an empty or unknown URL as the default", () => {
    expect(filterFromSearch(new URLSearchParams())).toEqual(DEFAULT_FILTER);
    expect(filterFromSearch(new URLSearchParams("state=deleted")).state).toBe("all");
  });
});
