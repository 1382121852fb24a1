import { useSyncExternalStore } from "react";

/** What the cart remembers of a product: enough to show it; the server prices it. */
export interface CartLine {
  productId: string;
  sku: string;
  name: string;
  unitPrice: string;
  quantity: number;
}

export const CART_STORAGE_KEY = "oms.cart";
export const MAX_QUANTITY = 999;

function clampQuantity(quantity: number): number {
  return Math.min(Math.max(Math.trunc(quantity), 1), MAX_QUANTITY);
}

function isLine(value: unknown): value is CartLine {
  if (!value || typeof value !== "object") return false;
  const line = value as Record<string, unknown>;
  return (
    typeof line.productId === "string" &&
    typeof line.sku === "string" &&
    typeof line.name === "string" &&
    typeof line.unitPrice === "string" &&
    typeof line.quantity === "number" &&
    Number.isFinite(line.quantity)
  );
}

/** The cart, kept in localStorage (it holds no secret) and shared between tabs. */
export class CartStore {
  private lines: readonly CartLine[];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: Storage) {
    this.lines = this.read();
  }

  snapshot = (): readonly CartLine[] => this.lines;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  add(line: Omit<CartLine, "quantity">, quantity = 1): void {
    const existing = this.lines.find((candidate) => candidate.productId === line.productId);
    if (existing) {
      this.setQuantity(line.productId, existing.quantity + quantity);
    } else {
      this.write([...this.lines, { ...line, quantity: clampQuantity(quantity) }]);
    }
  }

  setQuantity(productId: string, quantity: number): void {
    if (!Number.isFinite(quantity)) return;
    this.write(
      this.lines.map((line) =>
        line.productId === productId ? { ...line, quantity: clampQuantity(quantity) } : line,
      ),
    );
  }

  remove(productId: string): void {
    this.write(this.lines.filter((line) => line.productId !== productId));
  }

  clear(): void {
    this.write([]);
  }

  /** Another tab changed the cart. */
  reload(): void {
    this.lines = this.read();
    this.notify();
  }

  private read(): CartLine[] {
    try {
      const parsed: unknown = JSON.parse(this.storage.getItem(CART_STORAGE_KEY) ?? "[]");
      return Array.isArray(parsed)
        ? parsed.filter(isLine).map((line) => ({ ...line, quantity: clampQuantity(line.quantity) }))
        : [];
    } catch {
      return [];
    }
  }

  private write(lines: CartLine[]): void {
    this.lines = lines;
    try {
      this.storage.setItem(CART_STORAGE_KEY, JSON.stringify(lines));
    } catch {
      // Storage full or refused: the cart still lives for this page.
    }
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

export const cart = new CartStore(window.localStorage);

window.addEventListener("storage", (event) => {
  if (event.key === CART_STORAGE_KEY) cart.reload();
});

export function useCart(): readonly CartLine[] {
  return useSyncExternalStore(cart.subscribe, cart.snapshot);
}

export function cartCount(lines: readonly CartLine[]): number {
  return lines.reduce((sum, line) => sum + line.quantity, 0);
}
