import { describe, expect, it } from "vitest";
import { EMPTY_ADDRESS, toAddressChanges, toShippingAddress } from "./AddressForm";

const FILLED = { ...EMPTY_ADDRESS, name: "Sam", line1: "Hauptstraße 5", city: "Berlin", postal_code: "10115", country: "DE" };

describe("toAddressChanges", () => {
  it("removes an optional field left empty, where a new address leaves it out", () => {
    const values = { ...FILLED, line2: "  ", phone: "" };
    expect(toAddressChanges(values)).toMatchObject({ line2: null, phone: null });
    expect(toShippingAddress(values)).not.toHaveProperty("line2");
    expect(toShippingAddress(values)).not.toHaveProperty("phone");
  });

  it("sends the optional fields given, trimmed", () => {
    expect(toAddressChanges({ ...FILLED, line2: " Hinterhaus ", phone: "+49 30 1234567" })).toMatchObject({
      line2: "Hinterhaus",
      phone: "+49 30 1234567",
      city: "Berlin",
    });
  });
});
