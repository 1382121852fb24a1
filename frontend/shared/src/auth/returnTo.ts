/** Only a path of this app: never another origin (`//evil.example`, `https://…`). */
export function safeReturnTo(value: string | null): string {
  if (!value?.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  return value;
}
