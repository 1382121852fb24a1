import { describe, expect, it } from "vitest";
import { filterFromSearch, queryOfFilter, searchOfFilter } from "./filters";

describe("the users filter in the address", () => {
  it("reads every filter and writes it back", () => {
    const filter = filterFromSearch(new URLSearchParams("q=ann&role=manager&active=false"));
    expect(filter).toEqual({ q: "ann", role: "manager", active: false });
    expect(searchOfFilter(filter).toString()).toBe("q=ann&role=manager&active=false");
    expect(queryOfFilter(filter)).toEqual({ q: "ann", role: "manager", active: false });
  });

  it("leaves out unknown values and empty text", () => {
    const filter = filterFromSearch(new URLSearchParams("role=king&active=maybe&q=%20"));
    expect(filter).toEqual({ q: " ", role: null, active: null });
    expect(searchOfFilter(filter).toString()).toBe("");
    expect(queryOfFilter(filter)).toEqual({});
  });

  it("keeps active=true apart from no filter", () => {
    expect(queryOfFilter(filterFromSearch(new URLSearchParams("active=true")))).toEqual({ active: true });
  });
});
