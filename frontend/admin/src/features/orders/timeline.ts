import type { Schema } from "@oms/shared";

type HistoryEntry = Schema<"HistoryEntry">;
type Delivery = Schema<"DeliveryRead">;

/** One event's deliveries to one worker configuration: its attempts, oldest first. */
export interface DeliveryGroup {
  eventId: string;
  eventType: string;
  configurationId: string | null;
  worker: Delivery["worker"];
  attempts: Delivery[];
  /** The last attempt's status: where the delivery stands now. */
  status: Delivery["status"];
}

export interface TimelineEntry {
  change: HistoryEntry;
  deliveries: DeliveryGroup[];
}

export interface Timeline {
  entries: TimelineEntry[];
  /** Deliveries no status change of the history accounts for (e.g. a test event). */
  unplaced: DeliveryGroup[];
}

function byTime(a: string, b: string): number {
  return new Date(a).getTime() - new Date(b).getTime();
}

function groups(deliveries: readonly Delivery[]): DeliveryGroup[] {
  const found = new Map<string, DeliveryGroup>();
  for (const delivery of [...deliveries].sort((a, b) => byTime(a.started_at, b.started_at) || a.attempt - b.attempt)) {
    const key = `${delivery.event_id} ${delivery.configuration_id ?? delivery.worker}`;
    let group = found.get(key);
    if (!group) {
      group = {
        eventId: delivery.event_id,
        eventType: delivery.event_type,
        configurationId: delivery.configuration_id,
        worker: delivery.worker,
        attempts: [],
        status: delivery.status,
      };
      found.set(key, group);
    }
    group.attempts.push(delivery);
    group.status = delivery.status;
  }
  return [...found.values()];
}

/** The status history, oldest first, each change with the deliveries its event caused.
 *
 * A delivery names its event but not the change it came from; an event is written in the
 * change's own transaction and delivered after it, so it belongs to the latest change at
 * or before its first attempt (`order.created` to the first change, the order's placing). */
export function buildTimeline(history: readonly HistoryEntry[], deliveries: readonly Delivery[]): Timeline {
  const changes = [...history].sort((a, b) => byTime(a.at, b.at));
  const entries: TimelineEntry[] = changes.map((change) => ({ change, deliveries: [] }));
  const unplaced: DeliveryGroup[] = [];
  const eventTimes = new Map<string, number>();
  for (const delivery of deliveries) {
    const at = new Date(delivery.started_at).getTime();
    eventTimes.set(delivery.event_id, Math.min(eventTimes.get(delivery.event_id) ?? at, at));
  }
  for (const group of groups(deliveries)) {
    const firstAttempt = eventTimes.get(group.eventId) ?? 0;
    let target: TimelineEntry | undefined;
    if (group.eventType === "order.created") {
      target = entries[0];
    } else if (group.eventType === "order.status_changed") {
      for (let index = entries.length - 1; index >= 1; index -= 1) {
        const entry = entries[index];
        if (entry && new Date(entry.change.at).getTime() <= firstAttempt) {
          target = entry;
          break;
        }
      }
    }
    if (target) target.deliveries.push(group);
    else unplaced.push(group);
  }
  return { entries, unplaced };
}
