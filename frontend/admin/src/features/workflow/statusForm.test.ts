import { describe, expect, it } from "vitest";
import type { StatusRead } from "./api";
import { NEW_STATUS, statusChanges, statusCreate, statusValues } from "./statusForm";

const SHIPPED: StatusRead = {
  code: "shipped",
  name: "Shipped",
  customer_name: "On its way",
  customer_description: null,
  colour: "#2563EB",
  is_initial: false,
  is_terminal: false,
  releases_stock: false,
  position: 3,
};

describe("the status form", () => {
  it("sends nothing for an unchanged status, whatever the colour's case", () => {
    expect(statusChanges(SHIPPED, { ...statusValues(SHIPPED), colour: "#2563eb" })).toEqual({});
  });

  it("sends only what changed, an emptied customer name as null", () => {
    const values = { ...statusValues(SHIPPED), name: " Sent ", customer_name: "  ", is_terminal: true, position: 4 };
    expect(statusChanges(SHIPPED, values)).toEqual({ name: "Sent", customer_name: null, is_terminal: true, position: 4 });
  });

  it("leaves the position to the server when a new status has none", () => {
    const body = statusCreate({ ...NEW_STATUS, code: " packed ", name: "Packed", customer_description: "Packed and ready." });
    expect(body).toMatchObject({ code: "packed", position: null, customer_name: null, customer_description: "Packed and ready." });
  });
});
