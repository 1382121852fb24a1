import { type ApiClient, bodyOf, brandingQuery, ifMatch, useApi } from "@oms/shared";
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Branding, BrandingDraft } from "./values";

export type ImageSlot = "logo" | "favicon";
export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp", "image/svg+xml"] as const;

export function useSavedBranding() {
  return useQuery(brandingQuery(useApi()));
}

/** The saved branding, read again now (after a 412: the fresh state to show). */
export function useFreshBranding() {
  const api = useApi();
  const queryClient = useQueryClient();
  return () => queryClient.query({ ...brandingQuery(api), staleTime: 0 });
}

function useKeepBranding() {
  const api = useApi();
  const queryClient = useQueryClient();
  return (branding: Branding) => queryClient.setQueryData(brandingQuery(api).queryKey, branding);
}

export function useSaveBranding() {
  const api = useApi();
  const keep = useKeepBranding();
  return useMutation({
    mutationFn: ({ draft, version }: { draft: BrandingDraft; version: number }) =>
      bodyOf(api.PUT("/api/v1/branding", { params: { header: ifMatch(version) }, body: draft })),
    onSuccess: keep,
  });
}

export function useUploadImage() {
  const api = useApi();
  const keep = useKeepBranding();
  return useMutation({
    mutationFn: ({ image, file, version }: { image: ImageSlot; file: File; version: number }) =>
      bodyOf(
        api.PUT("/api/v1/branding/{image}", {
          params: { path: { image }, header: ifMatch(version) },
          // The image's own bytes, its type as Content-Type.
          body: file as unknown as string,
          bodySerializer: (body: unknown) => body as BodyInit,
          headers: { "Content-Type": file.type },
        }),
      ),
    onSuccess: keep,
  });
}

export function useRemoveImage() {
  const api = useApi();
  const keep = useKeepBranding();
  return useMutation({
    mutationFn: ({ image, version }: { image: ImageSlot; version: number }) =>
      bodyOf(api.DELETE("/api/v1/branding/{image}", { params: { path: { image }, header: ifMatch(version) } })),
    onSuccess: keep,
  });
}

export function templateKeysQuery(api: ApiClient) {
  return queryOptions({
    queryKey: ["email-templates"],
    queryFn: () => bodyOf(api.GET("/api/v1/email-templates")),
  });
}

export function useTemplateKeys() {
  return useQuery(templateKeysQuery(useApi()));
}

/** An email as it would look with the draft branding, rendered by the backend from a sample
 * order (null: no draft to render yet). */
export function brandedEmailQuery(api: ApiClient, key: string, draft: BrandingDraft | null) {
  return queryOptions({
    queryKey: ["branding", "email-preview", key, draft],
    queryFn: ({ signal }) =>
      bodyOf(api.POST("/api/v1/email-templates/{key}/branding-preview", { params: { path: { key } }, body: draft as BrandingDraft, signal })),
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: Infinity,
  });
}

export function useBrandedEmail(key: string, draft: BrandingDraft | null) {
  return useQuery({ ...brandedEmailQuery(useApi(), key, draft), enabled: draft !== null });
}
