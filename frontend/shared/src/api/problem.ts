import type { Schema } from "./types";

export type Problem = Schema<"Problem">;
/** A problem as received: a proxy's or a dropped connection's lacks members OMS always sends. */
export type ReceivedProblem = Partial<Problem> & { status: number };
export type ProblemFieldError = Schema<"ProblemFieldError">;

const PROBLEM_TYPE_PREFIX = "urn:oms:problem:";

/** A failed API call: the problem+json body the backend answered, or one made up for a
 * response that carried none (a proxy's 502, a dropped connection). */
export class ApiProblem extends Error {
  readonly problem: ReceivedProblem;

  constructor(problem: ReceivedProblem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = "ApiProblem";
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }

  /** The slug of `urn:oms:problem:<slug>`, or "" for `about:blank`. */
  get slug(): string {
    const type = this.problem.type ?? "";
    return type.startsWith(PROBLEM_TYPE_PREFIX) ? type.slice(PROBLEM_TYPE_PREFIX.length) : "";
  }

  /** Messages by form field path (`shipping_address.postal_code`), from the problem's `errors`. */
  get fieldErrors(): Record<string, string> {
    return fieldErrors(this.problem);
  }
}

export function isProblem(error: unknown): error is ApiProblem {
  return error instanceof ApiProblem;
}

/** Maps `errors` (and RFC 9457's `invalid_params`, should a proxy answer with them) to
 * form field paths; the first message for a field wins. */
export function fieldErrors(problem: Partial<Problem>): Record<string, string> {
  const result: Record<string, string> = {};
  const entries: { field?: unknown; name?: unknown; message?: unknown; reason?: unknown }[] = [
    ...(problem.errors ?? []),
    ...(Array.isArray(problem.invalid_params) ? (problem.invalid_params as object[]) : []),
  ];
  for (const entry of entries) {
    const field = typeof entry.field === "string" ? entry.field : entry.name;
    const message = typeof entry.message === "string" ? entry.message : entry.reason;
    if (typeof field === "string" && typeof message === "string" && !(field in result)) {
      result[field.replace(/^body\./, "")] = message;
    }
  }
  return result;
}

export async function problemFromResponse(response: Response): Promise<ApiProblem> {
  const type = response.headers.get("Content-Type") ?? "";
  if (type.includes("json")) {
    try {
      const body: unknown = await response.clone().json();
      if (body && typeof body === "object" && !Array.isArray(body)) {
        return new ApiProblem({ ...(body as Partial<Problem>), status: response.status });
      }
    } catch {
      // Not JSON after all: fall through to a problem made from the status.
    }
  }
  return new ApiProblem({
    type: "about:blank",
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
  });
}

/** A network failure (no response at all) as a problem with status 0. */
export function networkProblem(error: unknown): ApiProblem {
  return new ApiProblem({
    type: "about:blank",
    title: "Network error",
    status: 0,
    detail: error instanceof Error ? error.message : String(error),
  });
}
