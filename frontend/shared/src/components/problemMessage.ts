import type { TFunction } from "i18next";
import { isStaleEdit } from "../api/etag";
import { isProblem } from "../api/problem";

/** The sentence to show for a failed call. */
export function problemMessage(error: unknown, t: TFunction<"common">): string {
  if (isStaleEdit(error)) return t("error.stale");
  if (isProblem(error)) {
    if (error.status === 0) return t("error.network");
    return error.problem.detail ?? error.problem.title ?? t("error.generic");
  }
  return t("error.generic");
}
