import { queryOptions, useQuery } from "@tanstack/react-query";
import { type ApiClient, bodyOf } from "../api/client";
import { useApi } from "../auth/ServicesProvider";

export function customerStatusesQuery(api: ApiClient) {
  return queryOptions({
    queryKey: ["workflow", "customer-statuses"],
    queryFn: () => bodyOf(api.GET("/api/v1/workflow/customer-statuses")),
    staleTime: 5 * 60_000,
  });
}

export function useCustomerStatuses() {
  return useQuery(customerStatusesQuery(useApi()));
}
