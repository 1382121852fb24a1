import { ApiProblem } from "./problem";

/** OMS's entity tags are strong and made from the version: `"3"`. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** Headers that make a write apply only to the version the user saw. */
export function ifMatch(version: number): { "If-Match": string } {
  return { "If-Match": etagOf(version) };
}

/** True when a conditional write was refused because someone else changed the resource
 * since it was read: the caller shows the fresh state and says so. */
export function isStaleEdit(error: unknown): boolean {
  return error instanceof ApiProblem && error.status === 412;
}
