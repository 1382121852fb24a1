import type { RouteObject } from "react-router";

// The email templates section (/email-templates): the list, and one template's editor.
export const emailTemplatesRoutes: RouteObject[] = [
  { index: true, lazy: async () => ({ Component: (await import("./components/EmailTemplatesPage")).EmailTemplatesPage }) },
  { path: ":key", lazy: async () => ({ Component: (await import("./components/EmailTemplateEditor")).EmailTemplateEditorPage }) },
];
