import { describe, expect, it } from "vitest";
import { filterFromSearch, localOfMoment, momentOfLocal, queryOfFilter, searchOfFilter } from "./filters";

const ACTOR = "0f8e2c4a-5b6d-4e7f-8a9b-0c1d2e3f4a5b";

describe("the audit filter in the address", () => {
  it("reads every filter and writes it back", () => {
    const search = new URLSearchParams({ actor: ACTOR, entity: "user", action: "user.updated", since: "2026-01-01T00:00:00Z" });
    const filter = filterFromSearch(search);
    expect(filter).toEqual({ actor: ACTOR, entity: "user", entity_id: "", action: "user.updated", since: "2026-01-01T00:00:00.000Z", until: "" });
    expect(queryOfFilter(filter)).toEqual({ actor: ACTOR, entity: "user", action: "user.updated", since: "2026-01-01T00:00:00.000Z" });
    expect(filterFromSearch(searchOfFilter(filter))).toEqual(filter);
  });

  it("drops what the API would refuse: an actor that is no id, a moment without offset", () => {
    const filter = filterFromSearch(new URLSearchParams({ actor: "bob", since: "2026-01-01T00:00", until: "soon" }));
    expect(queryOfFilter(filter)).toEqual({});
  });

  it("turns a local date and time into a moment with offset and back", () => {
    const moment = momentOfLocal("2026-03-04T05:06");
    expect(moment).toMatch(/Z$/);
    expect(localOfMoment(moment)).toBe("2026-03-04T05:06");
    expect(momentOfLocal("")).toBe("");
  });
});
