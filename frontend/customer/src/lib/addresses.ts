import { type AddressFields, type Schema, bodyOf, ifMatch, isStaleEdit, useApi } from "@oms/shared";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

export type { AddressFields, AddressRead } from "@oms/shared";

const ADDRESSES = ["me", "addresses"] as const;

/** The signed-in user's saved shipping addresses (at most 20, so one page holds them). */
export function useAddresses() {
  const api = useApi();
  return useQuery(
    queryOptions({
      queryKey: ADDRESSES,
      queryFn: async () =>
        (await bodyOf(api.GET("/api/v1/me/addresses", { params: { query: { limit: 100 } } }))).items,
    }),
  );
}

export function useCreateAddress() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AddressFields) => bodyOf(api.POST("/api/v1/me/addresses", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ADDRESSES }),
  });
}

export function useUpdateAddress() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, body }: { id: string; version: number; body: Schema<"SavedAddressUpdate"> }) =>
      bodyOf(
        api.PATCH("/api/v1/me/addresses/{address_id}", {
          params: { path: { address_id: id }, header: ifMatch(version) },
          body,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ADDRESSES }),
    // Changed elsewhere (another tab) since it was shown: show the current one.
    onError: (error) => isStaleEdit(error) && queryClient.invalidateQueries({ queryKey: ADDRESSES }),
  });
}

export function useDeleteAddress() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      bodyOf(api.DELETE("/api/v1/me/addresses/{address_id}", { params: { path: { address_id: id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ADDRESSES }),
  });
}
