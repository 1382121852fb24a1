import { type ApiClient, type Schema, bodyOf, useApi } from "@oms/shared";
import { infiniteQueryOptions, useInfiniteQuery, useMutation } from "@tanstack/react-query";
import { type AuditFilter, queryOfFilter } from "./filters";

export type AuditEntry = Schema<"AuditEntryRead">;

const PAGE_SIZE = 50;

export function auditQuery(api: ApiClient, filter: AuditFilter) {
  return infiniteQueryOptions({
    queryKey: ["audit", queryOfFilter(filter)],
    queryFn: ({ pageParam, signal }) =>
      bodyOf(
        api.GET("/api/v1/audit", {
          params: { query: { ...queryOfFilter(filter), limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
  });
}

export function useAuditLog(filter: AuditFilter) {
  return useInfiniteQuery(auditQuery(useApi(), filter));
}

/** The entries the filter selects as CSV, streamed by the API, saved as a file. (A plain link
 * would not carry the bearer token, which lives in memory.) */
export function useExportAudit() {
  const api = useApi();
  return useMutation({
    mutationFn: async (filter: AuditFilter) => {
      const { data } = await api.GET("/api/v1/audit/export.csv", { params: { query: queryOfFilter(filter) }, parseAs: "blob" });
      const url = URL.createObjectURL(data as Blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = "audit.csv";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  });
}
