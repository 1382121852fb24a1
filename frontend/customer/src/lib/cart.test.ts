import { beforeEach, describe, expect, it } from "vitest";
import { CART_STORAGE_KEY, CartStore, MAX_QUANTITY, cartCount } from "./cart";

const chair = { productId: "p1", sku: "FUR-CHAIR", name: "Chair", unitPrice: "149.00" };
const table = { productId: "p2", sku: "FUR-TABLE", name: "Table", unitPrice: "999.00" };

describe("the cart", () => {
  beforeEach(() => {
    window.localStorage.clear();
  });

  it("adds a product, and adds up quantities of the same product", () => {
    const store = new CartStore(window.localStorage);
    store.add(chair, 2);
    store.add(chair);
    store.add(table);
    expect(store.snapshot()).toEqual([
      { ...chair, quantity: 3 },
      { ...table, quantity: 1 },
    ]);
    expect(cartCount(store.snapshot())).toBe(4);
  });

  it("keeps quantities between 1 and the maximum", () => {
    const store = new CartStore(window.localStorage);
    store.add(chair);
    store.setQuantity("p1", 0);
    expect(store.snapshot()[0]?.quantity).toBe(1);
    store.setQuantity("p1", 100_000);
    expect(store.snapshot()[0]?.quantity).toBe(MAX_QUANTITY);
    store.setQuantity("p1", Number.NaN);
    expect(store.snapshot()[0]?.quantity).toBe(MAX_QUANTITY);
  });

  it("removes a line and clears", () => {
    const store = new CartStore(window.localStorage);
    store.add(chair);
    store.add(table);
    store.remove("p1");
    expect(store.snapshot().map((line) => line.productId)).toEqual(["p2"]);
    store.clear();
    expect(store.snapshot()).toEqual([]);
  });

  it("survives a reload from storage and notifies subscribers", () => {
    const first = new CartStore(window.localStorage);
    first.add(table, 2);
    const second = new CartStore(window.localStorage);
    expect(second.snapshot()).toEqual([{ ...table, quantity: 2 }]);
    let notified = 0;
    second.subscribe(() => (notified += 1));
    first.add(chair);
    second.reload();
    expect(notified).toBe(1);
    expect(second.snapshot()).toHaveLength(2);
  });

  it("ignores storage it cannot read", () => {
    window.localStorage.setItem(CART_STORAGE_KEY, "{not json");
    expect(new CartStore(window.localStorage).snapshot()).toEqual([]);
    window.localStorage.setItem(CART_STORAGE_KEY, JSON.stringify([{ productId: 1 }, { ...chair, quantity: 2 }]));
    expect(new CartStore(window.localStorage).snapshot()).toEqual([{ ...chair, quantity: 2 }]);
  });
});
