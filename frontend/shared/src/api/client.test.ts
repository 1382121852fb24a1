import { describe, expect, it } from "vitest";
import { createApiClient, type TokenSource } from "./client";
import { ifMatch, isStaleEdit } from "./etag";
import { ApiProblem } from "./problem";

type Handler = (request: Request) => Response | Promise<Response>;

function recordingFetch(handler: Handler) {
  const requests: Request[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request.clone());
    return handler(request);
  };
  return { fetch, requests };
}

function json(body: unknown, status = 200, type = "application/json"): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": type } });
}

class Tokens implements TokenSource {
  refreshes = 0;
  constructor(
    private token: string | null,
    private readonly next: string | null,
  ) {}
  accessToken() {
    return this.token;
  }
  refresh() {
    this.refreshes += 1;
    this.token = this.next;
    return Promise.resolve(this.next !== null);
  }
}

const BASE = "http://oms.test";
const unauthorized = () =>
  json({ type: "urn:oms:problem:invalid-token", title: "Unauthorized", status: 401 }, 401, "application/problem+json");

describe("the API client", () => {
  it("sends the access token as a bearer token", async () => {
    const { fetch, requests } = recordingFetch(() => json({ shop_name: "Shop" }));
    const api = createApiClient({ baseUrl: BASE, fetch, tokens: new Tokens("t1", null) });
    await api.GET("/api/v1/branding");
    expect(requests[0]?.headers.get("Authorization")).toBe("Bearer t1");
  });

  it("refreshes once after a 401 and retries the same request with the new token", async () => {
    const { fetch, requests } = recordingFetch((request) =>
      request.headers.get("Authorization") === "Bearer fresh" ? json({ ok: true }, 201) : unauthorized(),
    );
    const tokens = new Tokens("stale", "fresh");
    const api = createApiClient({ baseUrl: BASE, fetch, tokens });
    const body = {
      items: [{ sku: "A", quantity: 1 }],
      shipping_address: { name: "C", line1: "L", city: "B", postal_code: "1", country: "DE" as const },
    };
    const { response } = await api.POST("/api/v1/orders", { body, params: { header: { "Idempotency-Key": "k1" } } });
    expect(response.status).toBe(201);
    expect(tokens.refreshes).toBe(1);
    expect(requests).toHaveLength(2);
    expect(await requests[1]?.json()).toEqual(body);
    expect(requests[1]?.headers.get("Idempotency-Key")).toBe("k1");
  });

  it("does not loop when the refreshed token is refused too", async () => {
    const { fetch, requests } = recordingFetch(unauthorized);
    const tokens = new Tokens("stale", "also-stale");
    const api = createApiClient({ baseUrl: BASE, fetch, tokens });
    await expect(api.GET("/api/v1/me")).rejects.toMatchObject({ status: 401 });
    expect(tokens.refreshes).toBe(1);
    expect(requests).toHaveLength(2);
  });

  it("gives up without retrying when no refresh is possible", async () => {
    const { fetch, requests } = recordingFetch(unauthorized);
    const api = createApiClient({ baseUrl: BASE, fetch, tokens: new Tokens(null, null) });
    await expect(api.GET("/api/v1/me")).rejects.toBeInstanceOf(ApiProblem);
    expect(requests).toHaveLength(1);
  });

  it("throws problem+json as a typed problem with field errors by form path", async () => {
    const { fetch } = recordingFetch(() =>
      json(
        {
          type: "urn:oms:problem:validation",
          title: "Invalid request",
          status: 400,
          detail: "The request is not valid; see `errors`.",
          instance: "/api/v1/orders",
          errors: [
            { field: "shipping_address.postal_code", in: "body", message: "Too long" },
            { field: "items.0.quantity", in: "body", message: "At least 1" },
          ],
        },
        400,
        "application/problem+json",
      ),
    );
    const api = createApiClient({ baseUrl: BASE, fetch, tokens: new Tokens("t", null) });
    const error: unknown = await api.GET("/api/v1/me").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiProblem);
    const problem = error as ApiProblem;
    expect(problem.status).toBe(400);
    expect(problem.slug).toBe("validation");
    expect(problem.message).toBe("The request is not valid; see `errors`.");
    expect(problem.fieldErrors).toEqual({
      "shipping_address.postal_code": "Too long",
      "items.0.quantity": "At least 1",
    });
  });

  it("maps RFC 9457 invalid_params too", async () => {
    const { fetch } = recordingFetch(() =>
      json({ title: "Bad", status: 400, invalid_params: [{ name: "email", reason: "taken" }] }, 400, "application/problem+json"),
    );
    const api = createApiClient({ baseUrl: BASE, fetch, tokens: new Tokens("t", null) });
    const error = (await api.GET("/api/v1/me").catch((caught: unknown) => caught)) as ApiProblem;
    expect(error.fieldErrors).toEqual({ email: "taken" });
  });

  it("turns a response without a problem body into a problem with its status", async () => {
    const { fetch } = recordingFetch(() => new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" }));
    const api = createApiClient({ baseUrl: BASE, fetch, tokens: new Tokens("t", null) });
    await expect(api.GET("/api/v1/me")).rejects.toMatchObject({ status: 502, problem: { title: "Bad Gateway" } });
  });

  it("turns a network failure into a problem with status 0", async () => {
    const fetch = (() => Promise.reject(new TypeError("Failed to fetch"))) as typeof globalThis.fetch;
    const api = createApiClient({ baseUrl: BASE, fetch, tokens: new Tokens("t", null) });
    await expect(api.GET("/api/v1/me")).rejects.toMatchObject({ status: 0 });
  });

  it("sends If-Match and reports a 412 as a stale edit", async () => {
    const { fetch, requests } = recordingFetch(() =>
      json({ type: "urn:oms:problem:precondition-failed", title: "Precondition Failed", status: 412, current_etag: '"4"' }, 412, "application/problem+json"),
    );
    const api = createApiClient({ baseUrl: BASE, fetch, tokens: new Tokens("t", null) });
    const error: unknown = await api
      .PATCH("/api/v1/orders/{order_id}/status", {
        params: { path: { order_id: "o1" }, header: ifMatch(3) },
        body: { status: "cancelled" },
      })
      .catch((caught: unknown) => caught);
    expect(requests[0]?.headers.get("If-Match")).toBe('"3"');
    expect(isStaleEdit(error)).toBe(true);
    expect(isStaleEdit(new ApiProblem({ status: 409 }))).toBe(false);
  });
});
