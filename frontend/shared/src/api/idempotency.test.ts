import { describe, expect, it } from "vitest";
import { IdempotencyKeys } from "./idempotency";

function counter() {
  let n = 0;
  return () => `key-${++n}`;
}

describe("Idempotency-Key per submit", () => {
  it("keeps one key across retries of the same submit", () => {
    const keys = new IdempotencyKeys(counter());
    expect(keys.keyFor("cart-a")).toBe("key-1");
    expect(keys.keyFor("cart-a")).toBe("key-1");
  });

  it("draws a new key for the next submit once one went through", () => {
    const keys = new IdempotencyKeys(counter());
    keys.keyFor("cart-a");
    keys.settle();
    expect(keys.keyFor("cart-a")).toBe("key-2");
  });

  it("draws a new key when what is submitted changed", () => {
    const keys = new IdempotencyKeys(counter());
    keys.keyFor("cart-a");
    expect(keys.keyFor("cart-b")).toBe("key-2");
    expect(keys.keyFor("cart-b")).toBe("key-2");
  });

  it("uses random UUIDs by default", () => {
    const key = new IdempotencyKeys().keyFor("x");
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
  });
});
