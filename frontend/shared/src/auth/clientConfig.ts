import { type ApiClient, bodyOf } from "../api/client";
import type { ClientConfig } from "../api/types";

/** The runtime sign-in configuration: which mode, and what the sign-in pages offer. */
export async function loadClientConfig(
  api: ApiClient,
  app: "customer" | "admin",
): Promise<ClientConfig> {
  return bodyOf(api.GET("/api/v1/auth/client-config", { params: { query: { app } } }));
}
