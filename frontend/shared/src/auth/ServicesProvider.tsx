import { QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, createContext, useContext, useSyncExternalStore } from "react";
import type { ApiClient } from "../api/client";
import type { Services } from "./services";
import type { AuthStatus } from "./types";

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ services, children }: { services: Services; children: ReactNode }) {
  return (
    <ServicesContext.Provider value={services}>
      <QueryClientProvider client={services.queryClient}>{children}</QueryClientProvider>
    </ServicesContext.Provider>
  );
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error("useServices outside ServicesProvider");
  return services;
}

export function useApi(): ApiClient {
  return useServices().api;
}

export function useAuthStatus(): AuthStatus {
  const { auth } = useServices();
  return useSyncExternalStore(
    (listener) => auth.subscribe(listener),
    () => auth.status(),
  );
}
