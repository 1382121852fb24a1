import type { ApiClient } from "../api/client";
import type { ClientConfig } from "../api/pending";
import { isProblem } from "../api/problem";

export type { ClientConfig };

/** The runtime sign-in configuration: which mode, and what the sign-in pages offer. */
export async function loadClientConfig(
  api: ApiClient,
  app: "customer" | "admin",
): Promise<ClientConfig> {
  try {
    const { data } = await api.GET("/api/v1/auth/client-config", {
      params: { query: { app } },
    });
    if (data) return data;
  } catch (error) {
    // A backend older than the endpoint: local sign-in is all it can do.
    if (!isProblem(error) || error.status !== 404) throw error;
  }
  return { mode: "local", registration_enabled: true, password_reset_enabled: false, oidc: null };
}
