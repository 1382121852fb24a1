import createClient, { type Client } from "openapi-fetch";
import { networkProblem, problemFromResponse } from "./problem";
import type { paths } from "./schema";

export type { paths };

/** Where the client gets the bearer token, and how it gets a fresh one after a 401. */
export interface TokenSource {
  accessToken(): string | null;
  /** Resolves true when a new access token is in place. */
  refresh(): Promise<boolean>;
}

export type ApiClient = Client<paths>;

export interface ApiClientOptions {
  /** Without one, requests go unauthenticated (the sign-in calls themselves). */
  tokens?: TokenSource;
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
}

/** The typed OMS client. Every answer that is not a success is thrown as an `ApiProblem`
 * (so TanStack Query sees it as the error); a 401 triggers one silent refresh and one
 * retry of the same request. */
export function createApiClient({ tokens, baseUrl = "", fetch }: ApiClientOptions): ApiClient {
  const send = fetch ?? ((input: Request) => globalThis.fetch(input));
  const client = createClient<paths>({ baseUrl, fetch: send });
  const sent = new Map<string, Request>();

  client.use({
    onRequest({ request, id }) {
      const token = tokens?.accessToken();
      if (token) request.headers.set("Authorization", `Bearer ${token}`);
      if (tokens) sent.set(id, request.clone());
      return request;
    },
    async onResponse({ response, id }) {
      const original = sent.get(id);
      sent.delete(id);
      let answer = response;
      if (answer.status === 401 && original && tokens && (await tokens.refresh())) {
        const token = tokens.accessToken();
        if (token) original.headers.set("Authorization", `Bearer ${token}`);
        answer = await send(original);
      }
      if (!answer.ok && answer.status !== 304) throw await problemFromResponse(answer);
      return answer;
    },
    onError({ error, id }) {
      sent.delete(id);
      return networkProblem(error);
    },
  });
  return client;
}

/** The body of a successful call (the client throws on any other). */
export async function bodyOf<T>(call: Promise<{ data?: T; response: Response }>): Promise<T> {
  const { data } = await call;
  return data as T;
}
