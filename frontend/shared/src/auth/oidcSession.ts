import { InMemoryWebStorage, type User, UserManager, WebStorageStateStore } from "oidc-client-ts";
import { type AuthStatus, type Authenticator, Listeners } from "./types";

export interface OidcOptions {
  issuer: string;
  clientId: string;
  scope: string;
  /** Where the app is served (`/` or `/admin/`), for the redirect URIs. */
  basePath: string;
}

/** OpenID Connect: authorization code with PKCE; tokens stay in memory (the PKCE verifier,
 * which must survive the redirect, sits in sessionStorage until the callback). */
export class OidcSession implements Authenticator {
  readonly mode = "oidc" as const;
  readonly manager: UserManager;
  private user: User | null = null;
  private state: AuthStatus = "restoring";
  /** On the way to the provider's sign-out page. */
  private leaving = false;
  private readonly listeners = new Listeners();

  constructor(options: OidcOptions) {
    const origin = window.location.origin;
    this.manager = new UserManager({
      authority: options.issuer,
      client_id: options.clientId,
      scope: options.scope,
      redirect_uri: `${origin}${options.basePath}auth/callback`,
      post_logout_redirect_uri: `${origin}${options.basePath}`,
      response_type: "code",
      userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
      stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
      automaticSilentRenew: true,
    });
    this.manager.events.addUserLoaded((user) => {
      this.set(user);
    });
    this.manager.events.addUserUnloaded(() => {
      if (!this.leaving) this.set(null);
    });
    this.manager.events.addSilentRenewError(() => {
      this.set(null);
    });
  }

  accessToken(): string | null {
    return this.user && !this.user.expired ? this.user.access_token : null;
  }

  status(): AuthStatus {
    return this.state;
  }

  subscribe(listener: () => void): () => void {
    return this.listeners.add(listener);
  }

  restore(): Promise<void> {
    // Tokens are kept in memory only: after a reload the provider's own session signs the
    // user straight back in on the next redirect.
    this.set(null);
    return Promise.resolve();
  }

  async signIn(returnTo: string): Promise<void> {
    await this.manager.signinRedirect({ state: { returnTo } });
  }

  /** Finishes the redirect; answers where the user was going. */
  async completeSignIn(): Promise<string> {
    const user = await this.manager.signinRedirectCallback();
    this.set(user);
    const state = user.state as { returnTo?: unknown } | undefined;
    return typeof state?.returnTo === "string" ? state.returnTo : "/";
  }

  async refresh(): Promise<boolean> {
    if (!this.user?.refresh_token) return false;
    try {
      const user = await this.manager.signinSilent();
      this.set(user);
      return user !== null;
    } catch {
      this.set(null);
      return false;
    }
  }

  async signOut(): Promise<void> {
    const idToken = this.user?.id_token;
    if (!idToken) {
      await this.manager.removeUser();
      this.set(null);
      return;
    }
    // Until the browser has left for the provider, the app must not show "signed out": a
    // protected page would then send it to sign in, racing this redirect, and the provider's
    // session, still alive, would sign the user straight back in.
    this.leaving = true;
    try {
      await this.manager.signoutRedirect({ id_token_hint: idToken });
    } catch (error) {
      this.leaving = false;
      this.set(null);
      throw error;
    }
  }

  private set(user: User | null): void {
    this.user = user;
    this.state = user ? "signed-in" : "signed-out";
    this.listeners.notify();
  }
}
