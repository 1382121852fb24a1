import { isProblem } from "@oms/shared";

export const PARTS = ["subject", "html", "text"] as const;
export type Part = (typeof PARTS)[number];

export interface PartProblem {
  line: number | null;
  reason: string;
}

/** What a refused draft's 400 says of each part: the backend names the part as the field and
 * starts the message with "line N: " when it knows the line. */
export function partProblems(error: unknown): Partial<Record<Part, PartProblem>> {
  if (!isProblem(error)) return {};
  const found: Partial<Record<Part, PartProblem>> = {};
  const fields = error.fieldErrors;
  for (const part of PARTS) {
    const message = fields[part];
    if (message === undefined) continue;
    const match = /^line (\d+): ([\s\S]*)$/.exec(message);
    found[part] = match ? { line: Number(match[1]), reason: match[2] ?? "" } : { line: null, reason: message };
  }
  return found;
}

/** Whether `draft` is still the one a save was refused for because a part does not render. */
export function refusedAsIs(refused: Record<Part, string> | undefined, draft: Record<Part, string>, error: unknown): boolean {
  if (refused === undefined || PARTS.some((part) => refused[part] !== draft[part])) return false;
  const problems = partProblems(error);
  return PARTS.some((part) => problems[part] !== undefined);
}
