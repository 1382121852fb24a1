import { describe, expect, it } from "vitest";
import { filtersFromSearch, searchFromFilters } from "./filters";

const ORDER = "0b9c2a5e-4f1d-4c3b-9a8e-7d6c5b4a3f21";

describe("the delivery log's filters in the URL", () => {
  it("reads what the API accepts and leaves out what it would refuse", () => {
    const search = new URLSearchParams({ status: "dead", worker: "webhook", order_id: ` ${ORDER.toUpperCase()} `, event_id: "not-a-uuid" });
    expect(filtersFromSearch(search)).toEqual({ status: "dead", worker: "webhook", order_id: ORDER });
    expect(filtersFromSearch(new URLSearchParams({ status: "lost", worker: "fax" }))).toEqual({});
  });

  it("writes the filters back in a fixed order, empty ones left out, and reads them again the same", () => {
    const filters = { event_id: ORDER, status: "failed" as const, worker: undefined };
    const search = searchFromFilters(filters);
    expect(search.toString()).toBe(`status=failed&event_id=${ORDER}`);
    expect(filtersFromSearch(search)).toEqual({ status: "failed", event_id: ORDER });
  });
});
