import { type ApiClient, type Schema, bodyOf, type paths, useApi } from "@oms/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";

export type Dashboard = Schema<"Dashboard">;
type TimeZone = NonNullable<NonNullable<paths["/api/v1/stats/dashboard"]["get"]["parameters"]["query"]>["tz"]>;

/** The browser's own time zone (an IANA name), which the days and weeks are counted in. */
export function browserTimeZone(): TimeZone {
  return (Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC") as TimeZone;
}

export function dashboardQuery(api: ApiClient, tz: TimeZone) {
  return queryOptions({
    queryKey: ["dashboard", tz],
    queryFn: () => bodyOf(api.GET("/api/v1/stats/dashboard", { params: { query: { tz } } })),
    refetchInterval: 60_000,
  });
}

export function useDashboard() {
  return useQuery(dashboardQuery(useApi(), browserTimeZone()));
}
