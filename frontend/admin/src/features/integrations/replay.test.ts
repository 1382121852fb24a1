import { describe, expect, it } from "vitest";
import { type ReplayOutcome, replayEach } from "./replay";

describe("replaying dead deliveries in bulk", () => {
  it("replays one at a time and reports each outcome, a refusal not stopping the rest", async () => {
    const calls: string[] = [];
    let running = 0;
    const outcomes: [string, ReplayOutcome][] = [];
    const tally = await replayEach(
      ["a", "b", "c"],
      async (id) => {
        running += 1;
        expect(running).toBe(1);
        calls.push(id);
        await Promise.resolve();
        running -= 1;
        if (id === "b") throw new Error("already succeeded");
      },
      (id, outcome) => outcomes.push([id, outcome]),
      (error) => (error as Error).message,
    );
    expect(calls).toEqual(["a", "b", "c"]);
    expect(tally).toEqual({ queued: 2, refused: 1 });
    expect(outcomes.slice(0, 3).map(([, outcome]) => outcome.state)).toEqual(["pending", "pending", "pending"]);
    expect(outcomes.slice(3)).toEqual([
      ["a", { state: "queued" }],
      ["b", { state: "refused", message: "already succeeded" }],
      ["c", { state: "queued" }],
    ]);
  });
});
