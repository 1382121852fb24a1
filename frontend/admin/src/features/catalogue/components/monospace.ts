/** An input whose value is code (a SKU, a slug, JSON): monospace, its label as the others. */
export const MONOSPACE = { input: { fontFamily: "var(--mantine-font-family-monospace)" } };
