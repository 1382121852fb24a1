import { type ApiClient, IdempotencyKeys, type Schema, bodyOf, useApi } from "@oms/shared";
import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { DeliveryFilters } from "./filters";

export type WorkerType = Schema<"WorkerType">;
export type EventType = Schema<"EventType">;
export type Configuration = Schema<"WorkerConfigurationPage">["items"][number];
export type ConfigurationCreate =
  | Schema<"EmailConfigurationCreate">
  | Schema<"WebhookConfigurationCreate">
  | Schema<"InventoryConfigurationCreate">;
export type ConfigurationUpdate =
  | Schema<"EmailConfigurationUpdate">
  | Schema<"WebhookConfigurationUpdate">
  | Schema<"InventoryConfigurationUpdate">;
export type Delivery = Schema<"DeliveryRead">;
export type DeliveryStatus = Delivery["status"];
export type TestFireRequest = Schema<"TestFireRequest">;
export type StatusRead = Schema<"StatusRead">;

// Each listed once; the compiler refuses these objects if the API gains or loses a value.
const WORKER_TYPE_SET: Record<WorkerType, true> = { email: true, webhook: true, inventory: true };
export const WORKER_TYPES = Object.keys(WORKER_TYPE_SET) as WorkerType[];
const EVENT_TYPE_SET: Record<EventType, true> = { "order.created": true, "order.status_changed": true };
export const EVENT_TYPES = Object.keys(EVENT_TYPE_SET) as EventType[];
const DELIVERY_STATUS_SET: Record<DeliveryStatus, true> = { succeeded: true, failed: true, dead: true };
export const DELIVERY_STATUSES = Object.keys(DELIVERY_STATUS_SET) as DeliveryStatus[];

const PAGE_SIZE = 50;
const CONFIGURATIONS = ["worker-configurations"] as const;
const DELIVERIES = ["deliveries"] as const;

export function configurationsQuery(api: ApiClient, workerType: WorkerType | undefined) {
  return infiniteQueryOptions({
    queryKey: [...CONFIGURATIONS, "list", workerType ?? "all"],
    queryFn: ({ pageParam }) =>
      bodyOf(
        api.GET("/api/v1/worker-configurations", {
          params: { query: { worker_type: workerType, cursor: pageParam ?? undefined, limit: PAGE_SIZE } },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
  });
}

/** The configurations of one worker type (or all), page after page. */
export function useConfigurations(workerType?: WorkerType) {
  return useInfiniteQuery(configurationsQuery(useApi(), workerType));
}

/** The workflow's statuses, which configurations may trigger on. */
export function statusesQuery(api: ApiClient) {
  return queryOptions({
    queryKey: ["workflow", "statuses"],
    queryFn: () => bodyOf(api.GET("/api/v1/workflow/statuses")),
  });
}

export function useStatuses() {
  return useQuery(statusesQuery(useApi()));
}

function useRefreshConfigurations() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: CONFIGURATIONS });
}

export function useCreateConfiguration() {
  const api = useApi();
  const refresh = useRefreshConfigurations();
  const [keys] = useState(() => new IdempotencyKeys());
  return useMutation({
    mutationFn: (body: ConfigurationCreate) =>
      bodyOf(
        api.POST("/api/v1/worker-configurations", {
          body,
          params: { header: { "Idempotency-Key": keys.keyFor(JSON.stringify(body)) } },
        }),
      ),
    onSuccess: () => {
      keys.settle();
      return refresh();
    },
  });
}

export function useUpdateConfiguration() {
  const api = useApi();
  const refresh = useRefreshConfigurations();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: ConfigurationUpdate }) =>
      bodyOf(api.PATCH("/api/v1/worker-configurations/{configuration_id}", { params: { path: { configuration_id: id } }, body })),
    onSettled: refresh,
  });
}

export function useDeleteConfiguration() {
  const api = useApi();
  const refresh = useRefreshConfigurations();
  return useMutation({
    mutationFn: (id: string) =>
      bodyOf(api.DELETE("/api/v1/worker-configurations/{configuration_id}", { params: { path: { configuration_id: id } } })),
    onSettled: refresh,
  });
}

/** A sample event sent to one configuration only; its deliveries are then looked up by the
 * event's id. */
export function useFireTestEvent() {
  const api = useApi();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: TestFireRequest }) =>
      bodyOf(api.POST("/api/v1/worker-configurations/{configuration_id}/test", { params: { path: { configuration_id: id } }, body })),
  });
}

/** Whether a delivery's attempts are over: it succeeded, or is dead (a failed one is retried). */
export function isSettled(delivery: Delivery | undefined): boolean {
  return delivery?.status === "succeeded" || delivery?.status === "dead";
}

/** The deliveries of one event, newest first, asked again every second until the latest is
 * settled or `patienceMs` after `sentAt` (a test event's worker has yet to run). */
export function useEventDeliveries(eventId: string | null, sentAt: number, patienceMs: number) {
  const api = useApi();
  return useQuery({
    queryKey: [...DELIVERIES, "event", eventId],
    queryFn: () => bodyOf(api.GET("/api/v1/deliveries", { params: { query: { event_id: eventId ?? undefined, limit: 10 } } })),
    enabled: eventId !== null,
    refetchInterval: (query) => (isSettled(query.state.data?.items[0]) || Date.now() - sentAt > patienceMs ? false : 1_000),
  });
}

export function deliveriesQuery(api: ApiClient, filters: DeliveryFilters) {
  return infiniteQueryOptions({
    queryKey: [...DELIVERIES, "list", filters],
    queryFn: ({ pageParam }) =>
      bodyOf(api.GET("/api/v1/deliveries", { params: { query: { ...filters, cursor: pageParam ?? undefined, limit: PAGE_SIZE } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
  });
}

/** The log, asked again every `intervalMs` until `watchUntil` (after a replay, so that its
 * new attempt shows). */
export function useDeliveries(filters: DeliveryFilters, watchUntil: number, intervalMs: number) {
  return useInfiniteQuery({ ...deliveriesQuery(useApi(), filters), refetchInterval: () => (Date.now() < watchUntil ? intervalMs : false) });
}

/** Queues a failed delivery's event again for its configuration. */
export function useReplayDelivery() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => bodyOf(api.POST("/api/v1/deliveries/{delivery_id}/replay", { params: { path: { delivery_id: id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: DELIVERIES }),
  });
}
