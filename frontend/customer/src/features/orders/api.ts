import { type ApiClient, type OrderEventData, bodyOf, followEvents, ifMatch, isStaleEdit, useApi, useServices } from "@oms/shared";
import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";

export function ordersQuery(api: ApiClient) {
  return infiniteQueryOptions({
    queryKey: ["orders", "list"],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      bodyOf(api.GET("/api/v1/orders", { params: { query: pageParam ? { cursor: pageParam, limit: 20 } : { limit: 20 } } })),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

export function useOrders() {
  return useInfiniteQuery(ordersQuery(useApi()));
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

export function useOrderTransitions(orderId: string, version: number | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ["orders", "one", orderId, "transitions", version],
    queryFn: () =>
      bodyOf(api.GET("/api/v1/orders/{order_id}/transitions", { params: { path: { order_id: orderId } } })),
    enabled: version !== undefined,
  });
}

/** The status a customer may move to that cancels the order, if the workflow offers one. */
export function cancelTarget<T extends { code: string; name: string }>(targets: readonly T[] | undefined): T | undefined {
  return targets?.find((target) => /cancel/i.test(target.code));
}

export function useChangeOrderStatus(orderId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ status, version }: { status: string; version: number }) =>
      bodyOf(
        api.PATCH("/api/v1/orders/{order_id}/status", {
          params: { path: { order_id: orderId }, header: ifMatch(version) },
          body: { status },
        }),
      ),
    onSuccess: (order) => {
      queryClient.setQueryData(orderQuery(api, orderId).queryKey, order);
      void queryClient.invalidateQueries({ queryKey: ["orders", "list"] });
    },
    onError: (error) => {
      // Someone else moved the order meanwhile: show what it is now.
      if (isStaleEdit(error)) void queryClient.invalidateQueries({ queryKey: ["orders", "one", orderId] });
    },
  });
}

function eventData(data: string): OrderEventData | null {
  try {
    const parsed: unknown = JSON.parse(data);
    return parsed && typeof parsed === "object" && typeof (parsed as OrderEventData).order_id === "string"
      ? (parsed as OrderEventData)
      : null;
  } catch {
    return null;
  }
}

/** Refetches an order (and the list) as soon as the server says it changed. */
export function useOrderEvents(orderId?: string) {
  const { auth } = useServices();
  const queryClient = useQueryClient();
  useEffect(() => {
    const controller = new AbortController();
    const url = orderId ? `/api/v1/orders/events?order_id=${encodeURIComponent(orderId)}` : "/api/v1/orders/events";
    void followEvents(
      url,
      auth,
      (event) => {
        const data = eventData(event.data);
        if (!data) return;
        void queryClient.invalidateQueries({ queryKey: ["orders", "one", data.order_id] });
        void queryClient.invalidateQueries({ queryKey: ["orders", "list"] });
      },
      { signal: controller.signal },
    );
    return () => controller.abort();
  }, [auth, orderId, queryClient]);
}
