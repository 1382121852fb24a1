import { type ApiClient, type Schema, bodyOf, useApi } from "@oms/shared";
import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useQuery } from "@tanstack/react-query";

export type CustomerSummary = Schema<"CustomerSummary">;
export type Customer = Schema<"CustomerRead">;

const PAGE_SIZE = 25;

export function customersQuery(api: ApiClient, q: string) {
  return infiniteQueryOptions({
    queryKey: ["customers", "list", q],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      bodyOf(
        api.GET("/api/v1/customers", {
          params: { query: { limit: PAGE_SIZE, ...(q ? { q } : {}), ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

export function useCustomers(q: string) {
  return useInfiniteQuery(customersQuery(useApi(), q));
}

export function customerQuery(api: ApiClient, customerId: string) {
  return queryOptions({
    queryKey: ["customers", "one", customerId],
    queryFn: () => bodyOf(api.GET("/api/v1/customers/{customer_id}", { params: { path: { customer_id: customerId } } })),
  });
}

export function useCustomer(customerId: string) {
  return useQuery(customerQuery(useApi(), customerId));
}

/** The customer's orders, newest first. */
export function customerOrdersQuery(api: ApiClient, customerId: string) {
  return infiniteQueryOptions({
    queryKey: ["customers", "one", customerId, "orders"],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      bodyOf(
        api.GET("/api/v1/orders", {
          params: { query: { customer_id: customerId, limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

export function useCustomerOrders(customerId: string) {
  return useInfiniteQuery(customerOrdersQuery(useApi(), customerId));
}
