import {
  type ApiClient,
  IdempotencyKeys,
  type OrderEventData,
  type Schema,
  type TokenSource,
  bodyOf,
  followEvents,
  ifMatch,
  isStaleEdit,
  problemFromResponse,
  useApi,
  useServices,
} from "@oms/shared";
import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { type OrderFilters, listQuery } from "./filters";

export type Order = Schema<"OrderRead">;
export type OrderSummary = Schema<"OrderSummary">;
export type TargetStatus = Schema<"TargetStatus">;
export type Delivery = Schema<"DeliveryRead">;
export type OrderNote = Schema<"OrderNoteRead">;
export type BulkResult = Schema<"BulkStatusResult">;
export type CustomerSummary = Schema<"CustomerSummary">;

export const PAGE_SIZE = 25;

export function ordersQuery(api: ApiClient, filters: OrderFilters) {
  const query = listQuery(filters);
  return infiniteQueryOptions({
    queryKey: ["orders", "list", query],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      bodyOf(api.GET("/api/v1/orders", { params: { query: { ...query, limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } }, signal })),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

export function useOrders(filters: OrderFilters) {
  return useInfiniteQuery(ordersQuery(useApi(), filters));
}

export function orderQuery(api: ApiClient, orderId: string) {
  return queryOptions({
    queryKey: ["orders", "one", orderId],
    queryFn: () => bodyOf(api.GET("/api/v1/orders/{order_id}", { params: { path: { order_id: orderId } } })),
  });
}

export function useOrder(orderId: string) {
  return useQuery(orderQuery(useApi(), orderId));
}

/** The statuses the caller may move the order to from the version shown. */
export function transitionsQuery(api: ApiClient, orderId: string, version: number) {
  return queryOptions({
    queryKey: ["orders", "one", orderId, "transitions", version],
    queryFn: () => bodyOf(api.GET("/api/v1/orders/{order_id}/transitions", { params: { path: { order_id: orderId } } })),
  });
}

export function useTransitions(orderId: string, version: number) {
  return useQuery(transitionsQuery(useApi(), orderId, version));
}

export function useChangeStatus(orderId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ status, note, version }: { status: string; note: string; version: number }) =>
      bodyOf(
        api.PATCH("/api/v1/orders/{order_id}/status", {
          params: { path: { order_id: orderId }, header: ifMatch(version) },
          body: note.trim() ? { status, note: note.trim() } : { status },
        }),
      ),
    onSuccess: (order) => {
      queryClient.setQueryData(orderQuery(api, orderId).queryKey, order);
      void queryClient.invalidateQueries({ queryKey: ["orders", "list"] });
      void queryClient.invalidateQueries({ queryKey: ["orders", "one", orderId, "deliveries"] });
    },
    onError: (error) => {
      // Someone else moved the order meanwhile: fetch what it is now, to show it.
      if (isStaleEdit(error)) void queryClient.invalidateQueries({ queryKey: ["orders", "one", orderId] });
    },
  });
}

/** The API moves at most this many orders per call. */
export const MAX_BULK_ORDERS = 200;

/** `items` in runs of at most `size`, in order. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const runs: T[][] = [];
  for (let start = 0; start < items.length; start += size) runs.push(items.slice(start, start + size));
  return runs;
}

/** Moves the orders to `status`, at most `MAX_BULK_ORDERS` per call, one call after the
 * other; the results of every call, in the order sent. */
export function useBulkStatusChange() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ orderIds, status, note }: { orderIds: string[]; status: string; note: string }) => {
      const results: BulkResult[] = [];
      for (const run of chunked(orderIds, MAX_BULK_ORDERS)) {
        const answer = await bodyOf(
          api.POST("/api/v1/orders/bulk-status", {
            body: note.trim() ? { order_ids: run, to_status: status, note: note.trim() } : { order_ids: run, to_status: status },
          }),
        );
        results.push(...answer.results);
      }
      return results;
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["orders"] }),
  });
}

/** Every delivery (one row per attempt) of the order's events, oldest first; `config:read`. */
export function deliveriesQuery(api: ApiClient, orderId: string) {
  return queryOptions({
    queryKey: ["orders", "one", orderId, "deliveries"],
    queryFn: async () => {
      const rows: Delivery[] = [];
      let cursor: string | undefined;
      // An order's events are few; ten pages of a hundred attempts is more than any has.
      for (let page = 0; page < 10; page += 1) {
        const found = await bodyOf(
          api.GET("/api/v1/deliveries", { params: { query: { order_id: orderId, limit: 100, ...(cursor ? { cursor } : {}) } } }),
        );
        rows.push(...found.items);
        if (!found.next_cursor) break;
        cursor = found.next_cursor;
      }
      return rows;
    },
    // Workers deliver after the event is published: look again while the page is open.
    refetchInterval: 10_000,
  });
}

export function useDeliveries(orderId: string, enabled: boolean) {
  return useQuery({ ...deliveriesQuery(useApi(), orderId), enabled });
}

/** The worker configurations' names by id (`config:read`). */
export function configurationNamesQuery(api: ApiClient) {
  return queryOptions({
    queryKey: ["worker-configurations", "names"],
    queryFn: async () => {
      const names = new Map<string, string>();
      let cursor: string | undefined;
      for (let page = 0; page < 10; page += 1) {
        const found = await bodyOf(api.GET("/api/v1/worker-configurations", { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } }));
        for (const configuration of found.items) names.set(configuration.id, configuration.name);
        if (!found.next_cursor) break;
        cursor = found.next_cursor;
      }
      return names;
    },
    staleTime: 5 * 60_000,
  });
}

export function useConfigurationNames(enabled: boolean) {
  return useQuery({ ...configurationNamesQuery(useApi()), enabled });
}

export function notesQuery(api: ApiClient, orderId: string) {
  return infiniteQueryOptions({
    queryKey: ["orders", "one", orderId, "notes"],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      bodyOf(
        api.GET("/api/v1/orders/{order_id}/notes", {
          params: { path: { order_id: orderId }, query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

export function useNotes(orderId: string, enabled: boolean) {
  return useInfiniteQuery({ ...notesQuery(useApi(), orderId), enabled });
}

export function useAddNote(orderId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  const keys = useRef(new IdempotencyKeys()).current;
  return useMutation({
    mutationFn: (text: string) =>
      bodyOf(
        api.POST("/api/v1/orders/{order_id}/notes", {
          params: { path: { order_id: orderId }, header: { "Idempotency-Key": keys.keyFor(text) } },
          body: { text },
        }),
      ),
    onSuccess: () => {
      keys.settle();
      void queryClient.invalidateQueries({ queryKey: notesQuery(api, orderId).queryKey });
    },
  });
}

export function useDeleteNote(orderId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (noteId: string) =>
      api.DELETE("/api/v1/orders/{order_id}/notes/{note_id}", { params: { path: { order_id: orderId, note_id: noteId } } }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notesQuery(api, orderId).queryKey }),
  });
}

/** Customers whose email or name holds `text` (`customers:read`), for the customer filter. */
export function customerSearchQuery(api: ApiClient, text: string) {
  return queryOptions({
    queryKey: ["customers", "search", text],
    queryFn: ({ signal }) => bodyOf(api.GET("/api/v1/customers", { params: { query: { q: text, limit: 10 } }, signal })),
    staleTime: 60_000,
  });
}

export function useCustomerSearch(text: string, enabled: boolean) {
  return useQuery({ ...customerSearchQuery(useApi(), text), enabled: enabled && text.trim().length > 0 });
}

export function customerQuery(api: ApiClient, customerId: string) {
  return queryOptions({
    queryKey: ["customers", "one", customerId],
    queryFn: () => bodyOf(api.GET("/api/v1/customers/{customer_id}", { params: { path: { customer_id: customerId } } })),
  });
}

export function useCustomer(customerId: string | null, enabled: boolean) {
  return useQuery({ ...customerQuery(useApi(), customerId ?? ""), enabled: enabled && customerId !== null });
}

/** The orders CSV of a view, fetched with the bearer token (a plain link could not send
 * it) and saved from the blob the API streamed. */
export async function downloadOrdersCsv(tokens: TokenSource, filters: OrderFilters): Promise<void> {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(listQuery(filters))) {
    for (const one of Array.isArray(value) ? value : [value]) search.append(name, String(one));
  }
  const url = `/api/v1/orders/export.csv?${search.toString()}`;
  const send = () => {
    const headers = new Headers({ Accept: "text/csv" });
    const token = tokens.accessToken();
    if (token) headers.set("Authorization", `Bearer ${token}`);
    return fetch(url, { headers, cache: "no-store" });
  };
  let response = await send();
  if (response.status === 401 && (await tokens.refresh())) response = await send();
  if (!response.ok) throw await problemFromResponse(response);
  const blob = await response.blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = csvFileName(filters);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

export function csvFileName(filters: OrderFilters): string {
  const parts = ["orders"];
  if (filters.statuses.length) parts.push(filters.statuses.join("+"));
  if (filters.from) parts.push(`from-${filters.from}`);
  if (filters.to) parts.push(`to-${filters.to}`);
  return `${parts.join("_").replace(/[^A-Za-z0-9_+.-]/g, "-")}.csv`;
}

export type LiveState = "connecting" | "live" | "off";

function eventData(data: string): OrderEventData | null {
  try {
    const parsed: unknown = JSON.parse(data);
    return parsed && typeof parsed === "object" && typeof (parsed as OrderEventData).order_id === "string" ? (parsed as OrderEventData) : null;
  } catch {
    return null;
  }
}

/** Follows `/orders/events` (one order's, or everyone's) and refetches what an event
 * changed; says whether the stream is open now. */
export function useOrderEvents(orderId?: string): LiveState {
  const { auth } = useServices();
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>("connecting");
  useEffect(() => {
    const controller = new AbortController();
    const url = orderId ? `/api/v1/orders/events?order_id=${encodeURIComponent(orderId)}` : "/api/v1/orders/events";
    // Knows when a stream ends (the body finishes) and when the next one is being opened.
    const watchedFetch: typeof fetch = async (input, init) => {
      setState("connecting");
      const response = await fetch(input, init);
      if (!response.ok || !response.body) return response;
      const body = response.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          flush: () => {
            if (!controller.signal.aborted) setState("connecting");
          },
        }),
      );
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    };
    void followEvents(
      url,
      auth,
      (event) => {
        const data = eventData(event.data);
        if (!data) return;
        void queryClient.invalidateQueries({ queryKey: ["orders", "list"] });
        void queryClient.invalidateQueries({ queryKey: ["orders", "one", data.order_id] });
      },
      { signal: controller.signal, fetch: watchedFetch, onOpen: () => setState("live") },
    ).then(() => {
      if (!controller.signal.aborted) setState("off");
    });
    return () => controller.abort();
  }, [auth, orderId, queryClient]);
  return state;
}
