import { type Schema, bodyOf, meQuery, useApi, useServices } from "@oms/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";

export function useUpdateProfile() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schema<"ProfileUpdate">) => bodyOf(api.PATCH("/api/v1/me", { body })),
    onSuccess: (user) => queryClient.setQueryData(meQuery(api).queryKey, user),
  });
}

interface PasswordChange {
  email: string;
  current_password: string;
  new_password: string;
}

/** A new password, given the current one. The server ends every session of the account, this
 * one too: the app signs in again with the new password, so that whoever changed it stays. */
export function useChangePassword() {
  const api = useApi();
  const { auth } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ email, ...body }: PasswordChange) => {
      const user = await bodyOf(api.PATCH("/api/v1/me", { body }));
      if (auth.mode === "local") {
        // The password is changed either way; without a new session the next call signs out.
        await auth.signIn(email, body.new_password).catch(() => undefined);
      }
      return user;
    },
    onSuccess: (user) => queryClient.setQueryData(meQuery(api).queryKey, user),
  });
}
