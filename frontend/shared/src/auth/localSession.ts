import { type ApiClient, createApiClient } from "../api/client";
import { isProblem } from "../api/problem";
import { type AuthStatus, type Authenticator, Listeners } from "./types";

const CSRF_COOKIE = "oms_csrf";
/** Refresh this long before the access token expires. */
const REFRESH_AHEAD_MS = 30_000;
const MIN_REFRESH_DELAY_MS = 5_000;

export function readCookie(name: string, cookies: string = document.cookie): string | null {
  for (const part of cookies.split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return null;
}

interface Session {
  access_token: string;
  expires_in: number;
}

/** Local sign-in for browsers: the refresh token lives in an HttpOnly cookie the app never
 * sees, the access token in this object only; each cookie-authenticated call carries the
 * `oms_csrf` cookie's value as `X-CSRF-Token`. */
export class LocalSession implements Authenticator {
  readonly mode = "local" as const;
  private token: string | null = null;
  private state: AuthStatus = "restoring";
  private timer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<boolean> | null = null;
  private readonly listeners = new Listeners();
  private readonly api: ApiClient;

  constructor(options: { baseUrl?: string; fetch?: typeof globalThis.fetch } = {}) {
    this.api = createApiClient(options);
  }

  accessToken(): string | null {
    return this.token;
  }

  status(): AuthStatus {
    return this.state;
  }

  subscribe(listener: () => void): () => void {
    return this.listeners.add(listener);
  }

  async signIn(email: string, password: string): Promise<void> {
    const { data } = await this.api.POST("/api/v1/auth/session", {
      body: { email, password },
      credentials: "same-origin",
    });
    if (data) this.start(data);
  }

  async restore(): Promise<void> {
    if (readCookie(CSRF_COOKIE) === null) {
      this.end();
      return;
    }
    await this.refresh();
  }

  refresh(): Promise<boolean> {
    this.refreshing ??= this.refreshOnce().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  async signOut(): Promise<void> {
    const csrf = readCookie(CSRF_COOKIE);
    this.end();
    try {
      await this.api.DELETE("/api/v1/auth/session", {
        headers: csrf ? { "X-CSRF-Token": csrf } : {},
        credentials: "same-origin",
      });
    } catch {
      // Signed out here either way; the server drops the refresh token when it expires.
    }
  }

  private async refreshOnce(): Promise<boolean> {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf === null) {
      this.end();
      return false;
    }
    try {
      const { data } = await this.api.POST("/api/v1/auth/session/refresh", {
        headers: { "X-CSRF-Token": csrf },
        credentials: "same-origin",
      });
      if (!data) return false;
      this.start(data);
      return true;
    } catch (error) {
      if (isProblem(error) && error.status > 0) this.end();
      else if (this.state === "restoring") this.end();
      return false;
    }
  }

  private start(session: Session): void {
    this.token = session.access_token;
    this.state = "signed-in";
    clearTimeout(this.timer);
    const delay = Math.max(session.expires_in * 1000 - REFRESH_AHEAD_MS, MIN_REFRESH_DELAY_MS);
    this.timer = setTimeout(() => void this.refresh(), delay);
    this.listeners.notify();
  }

  private end(): void {
    clearTimeout(this.timer);
    this.token = null;
    this.state = "signed-out";
    this.listeners.notify();
  }
}
