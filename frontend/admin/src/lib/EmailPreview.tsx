import { Card, Stack, Tabs, Text } from "@mantine/core";

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** An email as the backend rendered it: its subject, the HTML part in a sandboxed frame (no
 * script in it runs, and it cannot reach the page) and the plain-text part. */
export function EmailPreview({
  email,
  labels,
}: {
  email: RenderedEmail;
  labels: { title: string; subject: string; html: string; text: string };
}) {
  return (
    <Card withBorder padding="sm">
      <Stack gap="xs">
        <Text size="sm">
          <Text span fw={600}>
            {labels.subject}:
          </Text>{" "}
          <span data-testid="preview-subject">{email.subject}</span>
        </Text>
        <Tabs defaultValue="html" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="html">{labels.html}</Tabs.Tab>
            <Tabs.Tab value="text">{labels.text}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="html" pt="xs">
            <iframe
              title={labels.title}
              srcDoc={email.html}
              sandbox=""
              style={{ width: "100%", height: 480, border: "1px solid var(--mantine-color-gray-3)", borderRadius: 4, background: "white" }}
            />
          </Tabs.Panel>
          <Tabs.Panel value="text" pt="xs">
            <Text component="pre" size="sm" style={{ whiteSpace: "pre-wrap", fontFamily: "var(--mantine-font-family-monospace)" }}>
              {email.text}
            </Text>
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </Card>
  );
}
