/** Fixed badge colours for states the app itself names (not the deployment's statuses):
 * dark enough that `ColourBadge` reads in white on them at any badge size. */
export const TONES = {
  good: "#237032",
  warning: "#d9480f",
  bad: "#c92a2a",
  neutral: "#495057",
  info: "#1864ab",
} as const;
