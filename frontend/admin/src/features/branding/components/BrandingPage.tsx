import { ActionIcon, Alert, Autocomplete, Button, Card, ColorInput, Grid, Group, Loader, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { ProblemAlert, QueryState, isProblem, isStaleEdit, useDocumentTitle } from "@oms/shared";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { EmailPreview } from "../../../lib/EmailPreview";
import { useBrandedEmail, useFreshBranding, useSaveBranding, useSavedBranding, useTemplateKeys } from "../api";
import { type Branding, type BrandingValues, MAX_LEGAL_LINKS, SUGGESTED_LOCALES, brandingProblems, currencyOptions, draftOf, valuesOf } from "../values";
import { HeaderPreview } from "./HeaderPreview";
import { ImageField } from "./ImageField";

const PREVIEW_DELAY_MS = 400;
const SWATCHES = ["#1f4e79", "#2563eb", "#0f766e", "#15803d", "#b45309", "#b91c1c", "#7c3aed", "#6b4f2a", "#111827"];

function EmailPanel({ values }: { values: BrandingValues }) {
  const { t } = useTranslation();
  const [key, setKey] = useState("order_created");
  const keys = useTemplateKeys();
  const [debounced] = useDebouncedValue(values, PREVIEW_DELAY_MS);
  const valid = Object.keys(brandingProblems(debounced)).length === 0;
  const email = useBrandedEmail(key, valid ? draftOf(debounced) : null);
  return (
    <Stack gap="xs" component="section" aria-labelledby="email-preview-title">
      <Group justify="space-between" align="flex-end">
        <Group gap="xs">
          <Title order={3} size="h4" id="email-preview-title">
            {t("branding.emailPreview")}
          </Title>
          {email.isFetching && <Loader size="xs" aria-label={t("branding.rendering")} />}
        </Group>
        <Select
          label={t("branding.emailTemplate")}
          size="xs"
          w={220}
          value={key}
          onChange={(value) => value && setKey(value)}
          data={(keys.data ?? [{ key: "order_created" }]).map((template) => template.key)}
          allowDeselect={false}
        />
      </Group>
      <Text size="sm" c="dimmed">
        {t("branding.emailPreviewHint")}
      </Text>
      {!valid && <Text size="sm">{t("branding.previewWaits")}</Text>}
      {email.isError && <ProblemAlert error={email.error} title={t("branding.emailNotRendered")} />}
      {email.data && (
        <EmailPreview
          email={email.data}
          labels={{ title: t("branding.emailFrame"), subject: t("branding.emailSubject"), html: t("branding.emailHtml"), text: t("branding.emailText") }}
        />
      )}
    </Stack>
  );
}

function BrandingForm({ saved }: { saved: Branding }) {
  const { t, i18n } = useTranslation();
  const save = useSaveBranding();
  const fresh = useFreshBranding();
  // The version this page's fields were read at: every write is guarded by it.
  const [version, setVersion] = useState(saved.version);
  const [stale, setStale] = useState(false);
  const form = useForm<BrandingValues>({
    initialValues: valuesOf(saved),
    validate: (values) =>
      Object.fromEntries(Object.entries(brandingProblems(values)).map(([path, problem]) => [path, t(`branding.problems.${problem}`)])),
  });
  const currencies = useMemo(() => currencyOptions(i18n.language, form.values.currency), [i18n.language, form.values.currency]);

  const showFresh = async () => {
    const current = await fresh();
    form.setValues(valuesOf(current));
    form.resetDirty(valuesOf(current));
    setVersion(current.version);
    setStale(true);
  };
  const submit = form.onSubmit((values) => {
    setStale(false);
    save.mutate(
      { draft: draftOf(values), version },
      {
        onSuccess: (branding) => {
          setVersion(branding.version);
          form.resetDirty(valuesOf(branding));
          notifications.show({ color: "green", message: t("branding.saved") });
        },
        onError: (error) => {
          if (isStaleEdit(error)) void showFresh();
          else if (isProblem(error)) form.setErrors(error.fieldErrors);
        },
      },
    );
  });
  const imageSaved = (branding: Branding) => {
    setStale(false);
    setVersion(branding.version);
  };
  const links = form.values.legal_links;

  return (
    <Grid gutter="lg">
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <form onSubmit={submit} noValidate aria-label={t("branding.formLabel")}>
          <Stack>
            {stale && (
              <Alert color="yellow" role="alert" title={t("branding.staleTitle")}>
                {t("common:error.stale")}
              </Alert>
            )}
            <TextInput label={t("branding.shopName")} required maxLength={100} {...form.getInputProps("shop_name")} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <ColorInput
                label={t("branding.primaryColour")}
                eyeDropperButtonProps={{ "aria-label": t("branding.pickColour", { colour: t("branding.primaryColour") }) }}
                format="hex"
                swatches={SWATCHES}
                required
                {...form.getInputProps("primary_colour")}
              />
              <ColorInput
                label={t("branding.accentColour")}
                eyeDropperButtonProps={{ "aria-label": t("branding.pickColour", { colour: t("branding.accentColour") }) }}
                format="hex"
                swatches={SWATCHES}
                required
                {...form.getInputProps("accent_colour")}
              />
            </SimpleGrid>
            <TextInput label={t("branding.supportEmail")} type="email" autoComplete="off" {...form.getInputProps("support_email")} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select label={t("branding.currency")} description={t("branding.currencyHint")} data={currencies} searchable required allowDeselect={false} {...form.getInputProps("currency")} />
              <Autocomplete label={t("branding.locale")} description={t("branding.localeHint")} data={SUGGESTED_LOCALES} required {...form.getInputProps("locale")} />
            </SimpleGrid>
            <Textarea label={t("branding.footer")} autosize minRows={2} maxLength={500} {...form.getInputProps("footer_text")} />
            <Stack gap="xs">
              <Text fw={600} size="sm" id="legal-links-title">
                {t("branding.legalLinks")}
              </Text>
              {links.length === 0 && (
                <Text size="sm" c="dimmed">
                  {t("branding.noLegalLinks")}
                </Text>
              )}
              {links.map((_, index) => (
                <Group key={index} align="flex-start" wrap="nowrap" role="group" aria-label={t("branding.legalLink", { number: index + 1 })}>
                  <TextInput label={t("branding.linkLabel")} maxLength={60} style={{ flex: 1 }} {...form.getInputProps(`legal_links.${index}.label`)} />
                  <TextInput label={t("branding.linkUrl")} type="url" style={{ flex: 2 }} {...form.getInputProps(`legal_links.${index}.url`)} />
                  <ActionIcon
                    mt={26}
                    variant="default"
                    size="lg"
                    aria-label={t("branding.removeLink", { number: index + 1 })}
                    onClick={() => form.removeListItem("legal_links", index)}
                  >
                    ×
                  </ActionIcon>
                </Group>
              ))}
              <Group>
                <Button
                  variant="default"
                  size="xs"
                  disabled={links.length >= MAX_LEGAL_LINKS}
                  onClick={() => form.insertListItem("legal_links", { label: "", url: "https://" })}
                >
                  {t("branding.addLink")}
                </Button>
              </Group>
            </Stack>
            {!isStaleEdit(save.error) && <ProblemAlert error={save.error} />}
            <Group>
              <Button type="submit" loading={save.isPending}>
                {t("branding.save")}
              </Button>
              {form.isDirty() && (
                <Text size="sm" c="dimmed">
                  {t("branding.unsaved")}
                </Text>
              )}
            </Group>
          </Stack>
        </form>
        <Stack mt="lg" gap="sm">
          <Title order={3} size="h4">
            {t("branding.images")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("branding.imagesHint")}
          </Text>
          <ImageField image="logo" current={saved.logo_url} version={version} onSaved={imageSaved} onStale={() => void showFresh()} />
          <ImageField image="favicon" current={saved.favicon_url} version={version} onSaved={imageSaved} onStale={() => void showFresh()} />
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <Stack>
          <Stack gap="xs" component="section" aria-labelledby="header-preview-title">
            <Title order={3} size="h4" id="header-preview-title">
              {t("branding.headerPreview")}
            </Title>
            <Text size="sm" c="dimmed">
              {t("branding.headerPreviewHint")}
            </Text>
            <HeaderPreview
              shopName={form.values.shop_name}
              logoUrl={saved.logo_url}
              primary={form.values.primary_colour}
              accent={form.values.accent_colour}
            />
          </Stack>
          <Card withBorder padding="sm">
            <EmailPanel values={form.values} />
          </Card>
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

export function BrandingPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("nav.branding"));
  const branding = useSavedBranding();
  return (
    <Stack>
      <Title order={2}>{t("nav.branding")}</Title>
      <Text c="dimmed">{t("branding.intro")}</Text>
      <QueryState query={branding} lines={8}>
        {(data) => <BrandingForm saved={data} />}
      </QueryState>
    </Stack>
  );
}
