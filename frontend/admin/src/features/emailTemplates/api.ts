import { type ApiClient, type Schema, bodyOf, ifMatch, isStaleEdit, useApi } from "@oms/shared";
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

export type EmailTemplate = Schema<"EmailTemplateRead">;
export type EmailTemplateDraft = Schema<"EmailTemplateWrite">;
export type RenderedEmail = Schema<"RenderedEmailRead">;

export function emailTemplatesQuery(api: ApiClient) {
  return queryOptions({
    queryKey: ["email-templates"],
    queryFn: () => bodyOf(api.GET("/api/v1/email-templates")),
  });
}

export function useEmailTemplates() {
  return useQuery(emailTemplatesQuery(useApi()));
}

export function emailTemplateQuery(api: ApiClient, key: string) {
  return queryOptions({
    queryKey: ["email-templates", key],
    queryFn: () => bodyOf(api.GET("/api/v1/email-templates/{key}", { params: { path: { key } } })),
  });
}

export function useEmailTemplate(key: string) {
  return useQuery(emailTemplateQuery(useApi(), key));
}

/** The draft rendered by the backend against a sample order; the last rendering stays shown
 * while the next one is on its way. A draft that does not render is the query's error (a
 * 400 naming each part, line and reason). */
export function emailPreviewQuery(api: ApiClient, key: string, draft: EmailTemplateDraft | null) {
  return queryOptions({
    queryKey: ["email-templates", key, "preview", draft],
    queryFn: ({ signal }) =>
      bodyOf(api.POST("/api/v1/email-templates/{key}/preview", { params: { path: { key } }, body: draft, signal })),
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: Infinity,
  });
}

export function useEmailPreview(key: string, draft: EmailTemplateDraft | null) {
  return useQuery({ ...emailPreviewQuery(useApi(), key, draft), enabled: draft !== null });
}

export function useSaveEmailTemplate(key: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ draft, version }: { draft: EmailTemplateDraft; version: number }) =>
      bodyOf(api.PUT("/api/v1/email-templates/{key}", { params: { path: { key }, header: ifMatch(version) }, body: draft })),
    onSuccess: (saved) => {
      queryClient.setQueryData(emailTemplateQuery(api, key).queryKey, saved);
      void queryClient.invalidateQueries({ queryKey: emailTemplatesQuery(api).queryKey, exact: true });
    },
    onError: (error) => {
      if (isStaleEdit(error)) void queryClient.invalidateQueries({ queryKey: emailTemplateQuery(api, key).queryKey, exact: true });
    },
  });
}

/** Forget the edits: the shipped template is used again. */
export function useResetEmailTemplate(key: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.DELETE("/api/v1/email-templates/{key}", { params: { path: { key } } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: emailTemplatesQuery(api).queryKey }),
  });
}
