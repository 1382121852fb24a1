import type { Schema } from "@oms/shared";
import { describe, expect, it } from "vitest";
import { buildTimeline } from "./timeline";

type Delivery = Schema<"DeliveryRead">;
const ACTOR = { id: "a", email: "manager@example.com" };

function delivery(overrides: Partial<Delivery>): Delivery {
  return {
    id: crypto.randomUUID(),
    event_id: "e1",
    event_type: "order.created",
    order_id: "o1",
    configuration_id: "c1",
    worker: "webhook",
    attempt: 1,
    status: "succeeded",
    response: "200",
    error: null,
    duration_ms: 12,
    started_at: "2025-03-14T09:00:01Z",
    finished_at: "2025-03-14T09:00:01Z",
    ...overrides,
  };
}

const HISTORY = [
  { status: "confirmed", at: "2025-03-14T10:00:00Z", actor: ACTOR, note: "Paid" },
  { status: "new", at: "2025-03-14T09:00:00Z", actor: ACTOR, note: null },
  { status: "processing", at: "2025-03-14T11:00:00Z", actor: ACTOR },
];

describe("the order's timeline", () => {
  it("lists the changes oldest first, each with the deliveries its event caused", () => {
    const { entries, unplaced } = buildTimeline(HISTORY, [
      delivery({ event_id: "e1", event_type: "order.created" }),
      delivery({ event_id: "e2", event_type: "order.status_changed", started_at: "2025-03-14T10:00:02Z" }),
      delivery({ event_id: "e3", event_type: "order.status_changed", started_at: "2025-03-14T11:00:05Z", worker: "email", configuration_id: "c2" }),
    ]);
    expect(entries.map((entry) => [entry.change.status, entry.deliveries.map((group) => group.eventId)])).toEqual([
      ["new", ["e1"]],
      ["confirmed", ["e2"]],
      ["processing", ["e3"]],
    ]);
    expect(unplaced).toEqual([]);
  });

  it("keeps one configuration's attempts together, oldest first, standing as the last", () => {
    const { entries } = buildTimeline(HISTORY, [
      delivery({ attempt: 2, status: "succeeded", started_at: "2025-03-14T09:01:00Z" }),
      delivery({ attempt: 1, status: "failed", error: "refused", started_at: "2025-03-14T09:00:01Z" }),
      delivery({ configuration_id: "c2", worker: "email" }),
    ]);
    const groups = entries[0]?.deliveries ?? [];
    expect(groups.map((group) => [group.configurationId, group.attempts.map((attempt) => attempt.attempt), group.status])).toEqual([
      ["c1", [1, 2], "succeeded"],
      ["c2", [1], "succeeded"],
    ]);
  });

  it("sets aside deliveries that no change of the history accounts for", () => {
    const { entries, unplaced } = buildTimeline(HISTORY, [
      delivery({ event_id: "t", event_type: "test" }),
      delivery({ event_id: "early", event_type: "order.status_changed", started_at: "2025-03-14T09:30:00Z" }),
    ]);
    expect(entries.every((entry) => entry.deliveries.length === 0)).toBe(true);
    expect(unplaced.map((group) => group.eventId)).toEqual(["t", "early"]);
  });
});
