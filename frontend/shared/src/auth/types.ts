import type { TokenSource } from "../api/client";

export type AuthStatus = "restoring" | "signed-in" | "signed-out";

/** What the apps need of either sign-in mode (local session cookies or OpenID Connect). */
export interface Authenticator extends TokenSource {
  readonly mode: "local" | "oidc";
  status(): AuthStatus;
  subscribe(listener: () => void): () => void;
  /** On load: bring back the session the browser still holds, if any. */
  restore(): Promise<void>;
  signOut(): Promise<void>;
}

export class Listeners {
  private readonly listeners = new Set<() => void>();

  add(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    for (const listener of this.listeners) listener();
  }
}
