/** One `Idempotency-Key` per user intent: the key stays the same across retries of one
 * submit (a double click, a retry after a timeout) and a new one is drawn once the submit
 * succeeded or what is submitted changed. */
export class IdempotencyKeys {
  private current: string | null = null;
  private intent: string | null = null;

  constructor(private readonly newKey: () => string = () => crypto.randomUUID()) {}

  /** The key for submitting `intent` (a serialisation of what is sent). */
  keyFor(intent: string): string {
    if (this.current === null || this.intent !== intent) {
      this.current = this.newKey();
      this.intent = intent;
    }
    return this.current;
  }

  /** The submit went through: the next one is a new intent. */
  settle(): void {
    this.current = null;
    this.intent = null;
  }
}
