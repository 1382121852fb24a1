import { describe, expect, it } from "vitest";
import type { Product } from "./api";
import { changedFields, fieldsOf, toProductCreate, validatePrice, validateSku, validateStock } from "./productFields";

const PRODUCT: Product = {
  id: "3f2c8a5e-7b1d-4e9f-a6c3-5d8e2f1b9c07",
  sku: "CH-1",
  name: "Chair",
  description: "",
  category_id: "5b9d3e1f-2a4c-4e6b-8d0f-1a3c5e7b9d2f",
  price: "12.50",
  currency: "EUR",
  stock: null,
  active: true,
  attributes: { material: "oak", width_cm: 45 },
  version: 2,
  images: [],
  created_at: "2026-12-01T10:00:00Z",
  updated_at: "2026-12-01T10:00:00Z",
};

describe("the product form's values", () => {
  it("checks a price as the API takes it: a decimal string, at most two places", () => {
    expect(validatePrice("19.99")).toBeNull();
    expect(validatePrice("20")).toBeNull();
    expect(validatePrice("0.1")).toBeNull();
    expect(validatePrice("19.999")).toBe("price");
    expect(validatePrice("-1")).toBe("price");
    expect(validatePrice("1e3")).toBe("price");
    expect(validatePrice(" ")).toBe("required");
  });

  it("checks SKU and stock", () => {
    expect(validateSku("FUR-CHAIR_1.2")).toBeNull();
    expect(validateSku("-x")).toBe("sku");
    expect(validateSku("a b")).toBe("sku");
    expect(validateStock("")).toBeNull();
    expect(validateStock("3")).toBeNull();
    expect(validateStock("2.5")).toBe("stock");
    expect(validateStock("99999999999")).toBe("stock");
  });

  it("sends an empty stock as not tracked and keeps the price as text", () => {
    const body = toProductCreate({ ...fieldsOf(null), sku: " X-1 ", name: "X", price: "9.90", category_id: "c" }, {});
    expect(body).toMatchObject({ sku: "X-1", price: "9.90", stock: null, active: true, attributes: {} });
  });

  it("sends only what changed", () => {
    const values = fieldsOf(PRODUCT);
    expect(changedFields(PRODUCT, values, PRODUCT.attributes)).toEqual({});
    expect(changedFields(PRODUCT, { ...values, price: "12.5" }, PRODUCT.attributes)).toEqual({});
    expect(changedFields(PRODUCT, { ...values, price: "13", stock: "4" }, { material: "oak", width_cm: 45 })).toEqual({ price: "13", stock: 4 });
    expect(changedFields(PRODUCT, values, { material: "steel", width_cm: 45 })).toEqual({ attributes: { material: "steel", width_cm: 45 } });
  });
});
