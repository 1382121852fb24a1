import { Card, Center, Stack, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useDocumentTitle } from "../../branding/BrandingProvider";

export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  useDocumentTitle(title);
  return (
    <Center py="xl">
      <Card withBorder shadow="sm" padding="lg" w="100%" maw={420}>
        <Stack>
          <Title order={2}>{title}</Title>
          {children}
        </Stack>
      </Card>
    </Center>
  );
}
