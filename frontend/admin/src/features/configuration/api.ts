import { useApi } from "@oms/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { DocumentType, ImportResult } from "./document";

/** The whole configuration as YAML, saved as a file. */
export function useExportConfiguration() {
  const api = useApi();
  return useMutation({
    mutationFn: async () => {
      const { data } = await api.GET("/api/v1/config/export", { params: { header: { accept: "application/yaml" } }, parseAs: "text" });
      const url = URL.createObjectURL(new Blob([data as unknown as string], { type: "application/yaml" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = "oms.yaml";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  });
}

export interface ImportRequest {
  text: string;
  type: DocumentType;
  dryRun: boolean;
}

/** Check a document and list what it would change (`dryRun`), or make OMS what it says. */
export function useImportConfiguration() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ text, type, dryRun }: ImportRequest): Promise<ImportResult> => {
      const { data } = await api.POST("/api/v1/config/import", {
        params: { query: { dry_run: dryRun } },
        // The document's own text, as its type.
        body: text as never,
        bodySerializer: (body: unknown) => body as string,
        headers: { "Content-Type": type },
      });
      return data as ImportResult;
    },
    onSuccess: (result) => {
      // Whatever the document changed (branding, workflow, templates...) is read again.
      if (result.applied) void queryClient.invalidateQueries();
    },
  });
}
