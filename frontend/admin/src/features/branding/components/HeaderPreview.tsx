import { Anchor, Badge, Box, Button, Group, Image, MantineProvider, Text, Title } from "@mantine/core";
import { accessibleColours, themeFromBranding } from "@oms/shared";
import { useId, useMemo } from "react";
import { useTranslation } from "react-i18next";

const resolveColours = accessibleColours();

/** The customer app's header as it would look with the draft: the shop's name, its logo and
 * the primary colour, themed from the draft in a provider of its own (its CSS variables
 * scoped to this box, so the admin app keeps its colours). */
export function HeaderPreview({ shopName, logoUrl, primary, accent }: { shopName: string; logoUrl: string | null; primary: string; accent: string }) {
  const { t } = useTranslation();
  const scope = `brand-preview-${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const theme = useMemo(() => themeFromBranding({ primary_colour: primary, accent_colour: accent }), [primary, accent]);
  return (
    <Box className={scope} style={{ border: "1px solid var(--mantine-color-gray-3)", borderRadius: 8, overflow: "hidden" }}>
      <MantineProvider
        theme={theme}
        cssVariablesSelector={`.${scope}`}
        withGlobalClasses={false}
        withStaticClasses={false}
        deduplicateCssVariables={false}
        cssVariablesResolver={resolveColours}
        getRootElement={() => document.querySelector<HTMLElement>(`.${scope}`) ?? undefined}
      >
        <Box data-testid="header-preview" bg="white" style={{ borderBottom: "1px solid var(--mantine-color-gray-3)" }}>
          <Group h={60} px="md" justify="space-between" wrap="nowrap">
            <Group gap="xs" wrap="nowrap">
              {logoUrl && <Image src={logoUrl} alt="" h={32} w="auto" fit="contain" />}
              <Title order={3} size="h4" lineClamp={1}>
                {shopName}
              </Title>
            </Group>
            <Group gap="sm" wrap="nowrap">
              <Anchor component="span" fw={600}>
                {t("branding.preview.cart")}
              </Anchor>
              <Text size="sm">{t("branding.preview.language")}</Text>
            </Group>
          </Group>
        </Box>
        <Group p="md" gap="sm" bg="var(--mantine-color-gray-0)">
          <Button component="span" tabIndex={-1}>
            {t("branding.preview.addToCart")}
          </Button>
          <Button component="span" tabIndex={-1} variant="light">
            {t("branding.preview.details")}
          </Button>
          <Badge color="accent" variant="filled" autoContrast>
            {t("branding.preview.new")}
          </Badge>
        </Group>
      </MantineProvider>
    </Box>
  );
}
