import { type Schema, bodyOf, meQuery, useApi } from "@oms/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";

export function useUpdateProfile() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schema<"ProfileUpdate">) => bodyOf(api.PATCH("/api/v1/me", { body })),
    onSuccess: (user) => queryClient.setQueryData(meQuery(api).queryKey, user),
  });
}
