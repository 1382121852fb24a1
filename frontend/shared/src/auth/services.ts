import { QueryClient } from "@tanstack/react-query";
import { type ApiClient, createApiClient } from "../api/client";
import { isProblem } from "../api/problem";
import type { ClientConfig } from "../api/types";
import { loadClientConfig } from "./clientConfig";
import { LocalSession } from "./localSession";
import type { OidcSession } from "./oidcSession";
import type { Authenticator } from "./types";

export interface Services {
  app: "customer" | "admin";
  basePath: string;
  config: ClientConfig;
  auth: LocalSession | OidcSession;
  api: ApiClient;
  queryClient: QueryClient;
}

function shouldRetry(failures: number, error: unknown): boolean {
  if (isProblem(error) && error.status >= 400 && error.status < 500) return false;
  return failures < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

/** Everything an app needs before its first render: the sign-in mode from the backend, the
 * matching authenticator (restoring the session in the background) and the API client. */
export async function createServices(app: "customer" | "admin", basePath = "/"): Promise<Services> {
  const config = await loadClientConfig(createApiClient({}), app);
  // oidc-client-ts is loaded only by deployments that sign in through a provider.
  const auth =
    config.mode === "oidc" && config.oidc
      ? new (await import("./oidcSession")).OidcSession({
          issuer: config.oidc.issuer,
          clientId: config.oidc.client_id,
          scope: config.oidc.scope,
          basePath,
        })
      : new LocalSession();
  const api = createApiClient({ tokens: auth });
  const queryClient = createQueryClient();
  clearCacheOnSignOut(auth, queryClient);
  void auth.restore();
  return { app, basePath, config, auth, api, queryClient };
}

/** What one user saw must not show for the next: a lost or ended session drops the cache. */
function clearCacheOnSignOut(auth: Authenticator, queryClient: QueryClient): void {
  let previous = auth.status();
  auth.subscribe(() => {
    const now = auth.status();
    if (previous === "signed-in" && now !== "signed-in") queryClient.clear();
    previous = now;
  });
}
