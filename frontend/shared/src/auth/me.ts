import { queryOptions, useQuery } from "@tanstack/react-query";
import { type ApiClient, bodyOf } from "../api/client";
import { useApi, useAuthStatus } from "./ServicesProvider";

export function meQuery(api: ApiClient) {
  return queryOptions({
    queryKey: ["me"],
    queryFn: () => bodyOf(api.GET("/api/v1/me")),
  });
}

/** The signed-in user's profile (disabled while nobody is signed in). */
export function useMe() {
  const api = useApi();
  const signedIn = useAuthStatus() === "signed-in";
  return useQuery({ ...meQuery(api), enabled: signedIn });
}
