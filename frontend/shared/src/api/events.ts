import { type EventSourceMessage, EventSourceParserStream } from "eventsource-parser/stream";
import type { TokenSource } from "./client";

export type ServerEvent = EventSourceMessage;

export interface FollowOptions {
  signal: AbortSignal;
  fetch?: typeof globalThis.fetch;
  onOpen?: () => void;
  /** First and longest wait before reconnecting, in ms. */
  retryDelays?: { first: number; max: number };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Follows a `text/event-stream` with the bearer token (EventSource cannot send one):
 * reconnects with back-off after a dropped stream, resuming from the last event id, and
 * refreshes the token once on a 401. Ends when `signal` aborts or the server refuses. */
export async function followEvents(
  url: string,
  tokens: TokenSource,
  onEvent: (event: ServerEvent) => void,
  { signal, fetch = globalThis.fetch, onOpen, retryDelays = { first: 1000, max: 30_000 } }: FollowOptions,
): Promise<void> {
  let lastEventId: string | undefined;
  let delay = retryDelays.first;
  let refreshed = false;
  while (!signal.aborted) {
    try {
      const headers = new Headers({ Accept: "text/event-stream" });
      const token = tokens.accessToken();
      if (token) headers.set("Authorization", `Bearer ${token}`);
      if (lastEventId) headers.set("Last-Event-ID", lastEventId);
      const response = await fetch(url, { headers, signal, cache: "no-store" });
      if (response.status === 401 && !refreshed) {
        refreshed = true;
        if (await tokens.refresh()) continue;
        return;
      }
      if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
        return;
      }
      if (response.ok && response.body) {
        refreshed = false;
        delay = retryDelays.first;
        onOpen?.();
        const reader = response.body
          .pipeThrough(new TextDecoderStream())
          .pipeThrough(new EventSourceParserStream())
          .getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (value.id) lastEventId = value.id;
          onEvent(value);
        }
      }
    } catch {
      // A dropped connection or an abort: the loop decides.
    }
    await sleep(delay, signal);
    delay = Math.min(delay * 2, retryDelays.max);
  }
}
