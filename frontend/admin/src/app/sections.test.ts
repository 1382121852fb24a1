import { describe, expect, it } from "vitest";
import { activeSection } from "./sections";

describe("sections", () => {
  it("finds the section of a page, not of a longer or shorter path", () => {
    expect(activeSection("/")?.key).toBe("dashboard");
    expect(activeSection("/orders/123")?.key).toBe("orders");
    expect(activeSection("/orders")?.key).toBe("orders");
    expect(activeSection("/ordersx")).toBeUndefined();
    expect(activeSection("/email-templates/order_created")?.key).toBe("emailTemplates");
  });
});
