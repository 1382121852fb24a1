import { afterEach, describe, expect, it, vi } from "vitest";
import { LocalSession, readCookie } from "./localSession";

function fakeBackend(refresh: () => Response) {
  const requests: Request[] = [];
  const fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request);
    const path = new URL(request.url).pathname;
    if (path === "/api/v1/auth/session" && request.method === "POST") {
      return Promise.resolve(Response.json({ access_token: "a1", token_type: "bearer", expires_in: 300 }));
    }
    if (path === "/api/v1/auth/session/refresh") return Promise.resolve(refresh());
    return Promise.resolve(new Response(null, { status: 204 }));
  };
  return { fetch, requests };
}

const problem = (status: number) =>
  new Response(JSON.stringify({ title: "No", status }), { status, headers: { "Content-Type": "application/problem+json" } });

function setCsrfCookie(value: string | null) {
  document.cookie = value === null ? "oms_csrf=; Max-Age=0; path=/" : `oms_csrf=${value}; path=/`;
}

describe("local browser session", () => {
  afterEach(() => {
    setCsrfCookie(null);
    vi.useRealTimers();
  });

  it("reads a cookie by name", () => {
    expect(readCookie("oms_csrf", "a=1; oms_csrf=x%3Dy; b=2")).toBe("x=y");
    expect(readCookie("oms_csrf", "a=1")).toBeNull();
  });

  it("keeps the access token in memory after signing in", async () => {
    const { fetch } = fakeBackend(() => problem(401));
    const session = new LocalSession({ baseUrl: "http://oms.test", fetch });
    await session.signIn("cora@example.com", "secret");
    expect(session.accessToken()).toBe("a1");
    expect(session.status()).toBe("signed-in");
    expect(window.localStorage.length + window.sessionStorage.length).toBe(0);
  });

  it("restores the session with the CSRF cookie's value as X-CSRF-Token", async () => {
    setCsrfCookie("csrf-1");
    const { fetch, requests } = fakeBackend(() => Response.json({ access_token: "a2", token_type: "bearer", expires_in: 300 }));
    const session = new LocalSession({ baseUrl: "http://oms.test", fetch });
    await session.restore();
    expect(session.accessToken()).toBe("a2");
    expect(requests[0]?.headers.get("X-CSRF-Token")).toBe("csrf-1");
  });

  it("is signed out without asking when there is no CSRF cookie", async () => {
    const { fetch, requests } = fakeBackend(() => problem(401));
    const session = new LocalSession({ baseUrl: "http://oms.test", fetch });
    await session.restore();
    expect(session.status()).toBe("signed-out");
    expect(requests).toHaveLength(0);
  });

  it("ends the session when the refresh cookie is refused, and refreshes once for concurrent callers", async () => {
    setCsrfCookie("csrf-1");
    const { fetch, requests } = fakeBackend(() => problem(401));
    const session = new LocalSession({ baseUrl: "http://oms.test", fetch });
    await session.signIn("cora@example.com", "secret");
    const results = await Promise.all([session.refresh(), session.refresh()]);
    expect(results).toEqual([false, false]);
    expect(requests.filter((request) => request.url.endsWith("/refresh"))).toHaveLength(1);
    expect(session.status()).toBe("signed-out");
    expect(session.accessToken()).toBeNull();
  });

  it("refreshes 30 seconds before the access token expires", async () => {
    vi.useFakeTimers();
    setCsrfCookie("csrf-1");
    const { fetch, requests } = fakeBackend(() => Response.json({ access_token: "a3", token_type: "bearer", expires_in: 300 }));
    const session = new LocalSession({ baseUrl: "http://oms.test", fetch });
    await session.signIn("cora@example.com", "secret");
    await vi.advanceTimersByTimeAsync(269_000);
    expect(requests.some((request) => request.url.endsWith("/refresh"))).toBe(false);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(requests.some((request) => request.url.endsWith("/refresh"))).toBe(true);
    expect(session.accessToken()).toBe("a3");
  });

  it("signs out on the server with the CSRF header and forgets the token", async () => {
    setCsrfCookie("csrf-9");
    const { fetch, requests } = fakeBackend(() => problem(401));
    const session = new LocalSession({ baseUrl: "http://oms.test", fetch });
    await session.signIn("cora@example.com", "secret");
    await session.signOut();
    const last = requests.at(-1);
    expect(last?.method).toBe("DELETE");
    expect(last?.headers.get("X-CSRF-Token")).toBe("csrf-9");
    expect(session.accessToken()).toBeNull();
  });
});
