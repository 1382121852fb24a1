import { describe, expect, it, vi } from "vitest";
import { OidcSession } from "./oidcSession";
import type { AuthStatus } from "./types";

// oidc-client-ts's UserManager as far as the session uses it; like the library, signing out
// removes the user (telling its listeners) before the browser leaves for the provider.
vi.mock("oidc-client-ts", () => {
  class UserManager {
    private readonly unloaded: (() => void)[] = [];
    readonly events = {
      addUserLoaded: () => undefined,
      addUserUnloaded: (listener: () => void) => this.unloaded.push(listener),
      addSilentRenewError: () => undefined,
    };
    readonly signinRedirectCallback = vi.fn(() =>
      Promise.resolve({ access_token: "a1", id_token: "i1", expired: false, state: { returnTo: "/orders" } }),
    );
    readonly removeUser = vi.fn(() => {
      for (const listener of this.unloaded) listener();
      return Promise.resolve();
    });
    readonly signoutRedirect = vi.fn(async (args: { id_token_hint: string }) => {
      redirect.hints.push(args.id_token_hint);
      await this.removeUser();
      if (redirect.fails) throw new Error("the provider is unreachable");
      // The page is unloading: the promise never settles.
      return new Promise<void>(() => undefined);
    });
  }
  class Storage {
    readonly stored = new Map<string, string>();
  }
  return { UserManager, InMemoryWebStorage: Storage, WebStorageStateStore: Storage };
});

const redirect = vi.hoisted(() => ({ fails: false, hints: [] as string[] }));

async function signedIn(): Promise<{ session: OidcSession; seen: AuthStatus[] }> {
  const session = new OidcSession({ issuer: "http://op.test", clientId: "oms-customer", scope: "openid", basePath: "/" });
  expect(await session.completeSignIn()).toBe("/orders");
  const seen: AuthStatus[] = [];
  session.subscribe(() => seen.push(session.status()));
  return { session, seen };
}

describe("OpenID Connect session", () => {
  it("keeps the tokens in memory after the callback", async () => {
    const { session } = await signedIn();
    expect(session.status()).toBe("signed-in");
    expect(session.accessToken()).toBe("a1");
  });

  it("does not show signed out while it leaves for the provider's sign-out", async () => {
    Object.assign(redirect, { fails: false, hints: [] });
    const { session, seen } = await signedIn();
    void session.signOut();
    await vi.waitFor(() => expect(redirect.hints).toEqual(["i1"]));
    await Promise.resolve();
    expect(seen).not.toContain("signed-out");
    expect(session.status()).toBe("signed-in");
  });

  it("is signed out here when the provider cannot be reached", async () => {
    Object.assign(redirect, { fails: true, hints: [] });
    const { session } = await signedIn();
    await expect(session.signOut()).rejects.toThrow("unreachable");
    expect(session.status()).toBe("signed-out");
    expect(session.accessToken()).toBeNull();
  });
});
