export type ReplayOutcome = { state: "pending" } | { state: "queued" } | { state: "refused"; message: string };

/** Replays each delivery in turn (one call at a time, so that a busy API is not flooded and
 * each row's answer is its own), telling every outcome as it comes. */
export async function replayEach(
  ids: readonly string[],
  replay: (id: string) => Promise<unknown>,
  onOutcome: (id: string, outcome: ReplayOutcome) => void,
  describe: (error: unknown) => string,
): Promise<{ queued: number; refused: number }> {
  const tally = { queued: 0, refused: 0 };
  for (const id of ids) onOutcome(id, { state: "pending" });
  for (const id of ids) {
    try {
      await replay(id);
      tally.queued += 1;
      onOutcome(id, { state: "queued" });
    } catch (error) {
      tally.refused += 1;
      onOutcome(id, { state: "refused", message: describe(error) });
    }
  }
  return tally;
}
