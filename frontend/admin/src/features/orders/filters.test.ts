import { describe, expect, it } from "vitest";
import { NO_FILTERS, filtersFromSearch, listQuery, searchFromFilters, searchableText, sortDirection, toggledSort } from "./filters";

const CUSTOMER = "6c1f2d9e-8a4b-4f0e-b3a7-2e5d9c8f1a04";

describe("the orders view in the URL", () => {
  it("reads back every filter and the sort it wrote", () => {
    const view = { statuses: ["new", "confirmed"], from: "2025-03-01", to: "2025-03-31", customerId: CUSTOMER, q: "cora", sort: "-total" as const };
    const search = searchFromFilters(view);
    expect(search.toString()).toBe(`status=new&status=confirmed&from=2025-03-01&to=2025-03-31&customer=${CUSTOMER}&q=cora&sort=-total`);
    expect(filtersFromSearch(new URLSearchParams(search.toString()))).toEqual(view);
  });

  it("writes nothing for the default view", () => {
    expect(searchFromFilters(NO_FILTERS).toString()).toBe("");
    expect(filtersFromSearch(new URLSearchParams(""))).toEqual(NO_FILTERS);
  });

  it("leaves out what is not a valid view instead of sending it", () => {
    const view = filtersFromSearch(new URLSearchParams("status=&status=new&status=new&from=2025-02-30&to=yesterday&customer=42&sort=price&q=%20%20"));
    expect(view).toEqual({ ...NO_FILTERS, statuses: ["new"] });
  });

  it("sends the day range as the browser's midnights, the last day included", () => {
    const query = listQuery({ ...NO_FILTERS, from: "2025-03-01", to: "2025-03-31" });
    expect(query.created_from).toBe(new Date(2025, 2, 1).toISOString());
    expect(query.created_to).toBe(new Date(2025, 3, 1).toISOString());
    expect(query.sort).toBe("-created_at");
    expect(query).not.toHaveProperty("status");
    expect(query).not.toHaveProperty("q");
  });

  it("sends the statuses, the customer and the trimmed text", () => {
    expect(listQuery({ ...NO_FILTERS, statuses: ["new"], customerId: CUSTOMER, q: " cora " })).toEqual({
      sort: "-created_at",
      status: ["new"],
      customer_id: CUSTOMER,
      q: "cora",
    });
  });
});

describe("sorting by a column", () => {
  it("starts dates and totals largest first and numbers in order, then flips", () => {
    expect(toggledSort("-created_at", "total")).toBe("-total");
    expect(toggledSort("-total", "total")).toBe("total");
    expect(toggledSort("total", "total")).toBe("-total");
    expect(toggledSort("-created_at", "number")).toBe("number");
    expect(toggledSort("number", "number")).toBe("-number");
    expect(toggledSort("-created_at", "created_at")).toBe("created_at");
  });

  it("tells each column's direction", () => {
    expect(sortDirection("-total", "total")).toBe("descending");
    expect(sortDirection("number", "number")).toBe("ascending");
    expect(sortDirection("number", "total")).toBeUndefined();
  });
});

describe("free text", () => {
  it("needs three letters or digits in a row, or an order number", () => {
    expect(searchableText("cora")).toBe(true);
    expect(searchableText("Jürgen")).toBe(true);
    expect(searchableText("OMS-12")).toBe(true);
    expect(searchableText("12")).toBe(true);
    expect(searchableText("a.b")).toBe(false);
    expect(searchableText("ab")).toBe(false);
  });
});
