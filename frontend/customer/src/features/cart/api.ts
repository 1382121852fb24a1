import { type QuoteRequest, type Schema, bodyOf, useApi } from "@oms/shared";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { CartLine } from "../../lib/cart";

export type OrderCreate = Schema<"OrderCreate">;

export function cartItems(lines: readonly CartLine[]): OrderCreate["items"] {
  return lines.map((line) => ({ product_id: line.productId, quantity: line.quantity }));
}

/** The server's prices, totals and stock for the cart, without placing it. */
export function useQuote(lines: readonly CartLine[]) {
  const api = useApi();
  const body: QuoteRequest = { items: cartItems(lines) };
  return useQuery({
    queryKey: ["quote", body.items],
    queryFn: () => bodyOf(api.POST("/api/v1/orders/quote", { body })),
    enabled: lines.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
}

export function usePlaceOrder() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: OrderCreate; key: string }) =>
      bodyOf(api.POST("/api/v1/orders", { body, params: { header: { "Idempotency-Key": key } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["orders"] }),
  });
}

export interface ShortLine {
  product_id: string;
  sku: string;
  requested: number;
  available: number;
}

/** The lines an `insufficient-stock` problem names. */
export function shortLines(problem: Record<string, unknown>): ShortLine[] {
  const lines = problem.lines;
  if (!Array.isArray(lines)) return [];
  return lines.filter(
    (line): line is ShortLine =>
      !!line &&
      typeof line === "object" &&
      typeof (line as ShortLine).product_id === "string" &&
      typeof (line as ShortLine).available === "number",
  );
}
