import { useApi } from "@oms/shared";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import { type ImportRow, importChunk } from "./api";
import { readUtf8, splitCsv } from "./csvChunks";

export type ImportPhase = "idle" | "reading" | "sending" | "done" | "failed";

export interface ImportProgress {
  phase: ImportPhase;
  /** Rows in the file, and how many of them the import has answered for. */
  total: number;
  done: number;
  dryRun: boolean;
  created: number;
  updated: number;
  failed: number;
  rows: ImportRow[];
  /** Why the import stopped: a problem of the API, or "notUtf8" / "noRows" for the file. */
  error: unknown;
}

const IDLE: ImportProgress = { phase: "idle", total: 0, done: 0, dryRun: false, created: 0, updated: 0, failed: 0, rows: [], error: null };

/** Imports a CSV file chunk by chunk (each chunk its own request, numbered by its file
 * lines), gathering the per-row results as they come. A chunk the API refuses as a whole
 * stops the import there: the chunks before it stay imported. */
export function useCsvImport() {
  const api = useApi();
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<ImportProgress>(IDLE);
  const running = useRef(false);

  const start = useCallback(
    async (file: File, dryRun: boolean) => {
      if (running.current) return;
      running.current = true;
      setProgress({ ...IDLE, phase: "reading", dryRun });
      try {
        const text = await readUtf8(file);
        if (text === null) {
          setProgress({ ...IDLE, phase: "failed", dryRun, error: "notUtf8" });
          return;
        }
        const { chunks, rows } = splitCsv(text);
        if (rows === 0) {
          setProgress({ ...IDLE, phase: "failed", dryRun, error: "noRows" });
          return;
        }
        let state: ImportProgress = { ...IDLE, phase: "sending", dryRun, total: rows };
        setProgress(state);
        for (const chunk of chunks) {
          try {
            const result = await importChunk(api, chunk.text, chunk.firstRow, dryRun);
            state = {
              ...state,
              done: state.done + chunk.rows,
              created: state.created + result.created,
              updated: state.updated + result.updated,
              failed: state.failed + result.failed,
              rows: [...state.rows, ...result.rows],
            };
            setProgress(state);
          } catch (error) {
            setProgress({ ...state, phase: "failed", error });
            return;
          }
        }
        setProgress({ ...state, phase: "done" });
      } finally {
        running.current = false;
        if (!dryRun) void queryClient.invalidateQueries({ queryKey: ["products"] });
      }
    },
    [api, queryClient],
  );

  const reset = useCallback(() => setProgress(IDLE), []);
  return { progress, start, reset };
}
