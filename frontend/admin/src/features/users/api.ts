import { type ApiClient, type Schema, bodyOf, useApi } from "@oms/shared";
import { infiniteQueryOptions, useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { type UserFilter, queryOfFilter } from "./filters";

export type User = Schema<"UserRead">;
export type UserCreate = Schema<"UserCreate">;
export type UserUpdate = Schema<"UserUpdate">;

const PAGE_SIZE = 50;

export function usersQuery(api: ApiClient, filter: UserFilter) {
  return infiniteQueryOptions({
    queryKey: ["users", "list", queryOfFilter(filter)],
    queryFn: ({ pageParam, signal }) =>
      bodyOf(
        api.GET("/api/v1/users", {
          params: { query: { ...queryOfFilter(filter), limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
  });
}

export function useUsers(filter: UserFilter) {
  return useInfiniteQuery(usersQuery(useApi(), filter));
}

export function useCreateUser() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: UserCreate; key: string }) =>
      bodyOf(api.POST("/api/v1/users", { params: { header: { "Idempotency-Key": key } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["users", "list"] }),
  });
}

export function useUpdateUser() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UserUpdate }) =>
      bodyOf(api.PATCH("/api/v1/users/{user_id}", { params: { path: { user_id: id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["users", "list"] }),
  });
}

/** Lift the pause failed sign-ins put on the account. */
export function useUnlockUser() {
  const api = useApi();
  return useMutation({
    mutationFn: (id: string) => api.POST("/api/v1/users/{user_id}/unlock", { params: { path: { user_id: id } } }),
  });
}
