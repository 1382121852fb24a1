import { Alert, Anchor, Button, Grid, Group, Loader, Modal, Stack, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDebouncedValue, useDisclosure } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { ProblemAlert, QueryState, isStaleEdit, useDocumentTitle } from "@oms/shared";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { EmailPreview } from "../../../lib/EmailPreview";
import { type EmailTemplate, type EmailTemplateDraft, useEmailPreview, useEmailTemplate, useResetEmailTemplate, useSaveEmailTemplate } from "../api";
import { PARTS, type Part, partProblems, refusedAsIs } from "../problems";
import { TemplateBadges } from "./EmailTemplatesPage";

const PREVIEW_DELAY_MS = 400;

function draftOf(template: EmailTemplate): EmailTemplateDraft {
  return { subject: template.subject, html: template.html, text: template.text };
}

function PartProblemText({ part, problem }: { part: Part; problem: { line: number | null; reason: string } | undefined }) {
  const { t } = useTranslation();
  if (!problem) return null;
  return (
    <Text size="sm" c="red.9" role="alert" data-testid={`problem-${part}`}>
      {problem.line === null
        ? t("emailTemplates.problem", { part: t(`emailTemplates.parts.${part}`), reason: problem.reason })
        : t("emailTemplates.problemAtLine", { part: t(`emailTemplates.parts.${part}`), line: problem.line, reason: problem.reason })}
    </Text>
  );
}

function Editor({ template }: { template: EmailTemplate }) {
  const { t } = useTranslation();
  const save = useSaveEmailTemplate(template.key);
  const reset = useResetEmailTemplate(template.key);
  const [confirming, confirm] = useDisclosure(false);
  const form = useForm<EmailTemplateDraft>({ initialValues: draftOf(template) });
  const [draft] = useDebouncedValue(form.values, PREVIEW_DELAY_MS);
  const preview = useEmailPreview(template.key, draft);
  const problems = partProblems(preview.error);
  const stale = isStaleEdit(save.error);
  // A draft that does not render is refused as the preview says, under the parts; the
  // refusal speaks of that draft only, until it is edited on.
  const refusedDraft = refusedAsIs(save.variables?.draft, form.values, save.error);
  const refusedParts = PARTS.some((part) => partProblems(save.error)[part] !== undefined);

  // A fresh version (after saving, after a 412, after a reset) becomes what is edited.
  const { setValues, resetDirty } = form;
  useEffect(() => {
    setValues(draftOf(template));
    resetDirty(draftOf(template));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the stored version changes
  }, [template.version, template.edited]);

  const submit = form.onSubmit((values) =>
    save.mutate(
      { draft: values, version: template.version },
      {
        onSuccess: () => notifications.show({ color: "green", message: t("emailTemplates.saved") }),
      },
    ),
  );
  const doReset = () =>
    reset.mutate(undefined, {
      onSuccess: () => {
        confirm.close();
        notifications.show({ color: "green", message: t("emailTemplates.resetDone") });
      },
    });

  return (
    <Grid gutter="lg">
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <form onSubmit={submit} noValidate aria-label={t("emailTemplates.editorLabel")}>
          <Stack>
            {stale && (
              <Alert color="yellow" role="alert" title={t("emailTemplates.staleTitle")}>
                {t("common:error.stale")}
              </Alert>
            )}
            <TextInput label={t("emailTemplates.parts.subject")} ff="monospace" {...form.getInputProps("subject")} />
            <PartProblemText part="subject" problem={problems.subject} />
            <Textarea
              label={t("emailTemplates.parts.html")}
              autosize
              minRows={10}
              maxRows={24}
              styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)", fontSize: 13 } }}
              spellCheck={false}
              {...form.getInputProps("html")}
            />
            <PartProblemText part="html" problem={problems.html} />
            <Textarea
              label={t("emailTemplates.parts.text")}
              autosize
              minRows={6}
              maxRows={16}
              styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)", fontSize: 13 } }}
              spellCheck={false}
              {...form.getInputProps("text")}
            />
            <PartProblemText part="text" problem={problems.text} />
            {refusedDraft && (
              <Alert color="red" role="alert" title={t("emailTemplates.notSaved")}>
                {t("emailTemplates.notSavedText")}
              </Alert>
            )}
            {!stale && !refusedParts && <ProblemAlert error={save.error} />}
            <Text size="xs" c="dimmed">
              {t("emailTemplates.variables")}
            </Text>
            <Group>
              <Button type="submit" loading={save.isPending} disabled={!form.isDirty() && template.edited}>
                {t("emailTemplates.save")}
              </Button>
              {template.edited && template.shipped && (
                <Button variant="default" color="red" onClick={confirm.open}>
                  {t("emailTemplates.reset")}
                </Button>
              )}
            </Group>
          </Stack>
        </form>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <Stack gap="xs" component="section" aria-labelledby="preview-title">
          <Group gap="xs">
            <Title order={3} size="h4" id="preview-title">
              {t("emailTemplates.preview")}
            </Title>
            {preview.isFetching && <Loader size="xs" aria-label={t("emailTemplates.rendering")} />}
          </Group>
          <Text size="sm" c="dimmed">
            {t("emailTemplates.previewHint")}
          </Text>
          {preview.isError && PARTS.every((part) => !problems[part]) && <ProblemAlert error={preview.error} />}
          {preview.isError && PARTS.some((part) => problems[part]) && (
            <Alert color="red" title={t("emailTemplates.doesNotRender")}>
              {t("emailTemplates.doesNotRenderText")}
            </Alert>
          )}
          {preview.data && (
            <EmailPreview
              email={preview.data}
              labels={{
                title: t("emailTemplates.previewFrame"),
                subject: t("emailTemplates.parts.subject"),
                html: t("emailTemplates.parts.html"),
                text: t("emailTemplates.parts.text"),
              }}
            />
          )}
        </Stack>
      </Grid.Col>
      <Modal opened={confirming} onClose={confirm.close} title={t("emailTemplates.resetTitle")}>
        <Stack>
          <Text>{t("emailTemplates.resetText")}</Text>
          <ProblemAlert error={reset.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={confirm.close}>
              {t("emailTemplates.cancel")}
            </Button>
            <Button color="red" loading={reset.isPending} onClick={doReset}>
              {t("emailTemplates.resetConfirm")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Grid>
  );
}

export function EmailTemplateEditorPage() {
  const { t } = useTranslation();
  const { key = "" } = useParams();
  useDocumentTitle(`${key} · ${t("nav.emailTemplates")}`);
  const template = useEmailTemplate(key);
  return (
    <Stack>
      <Anchor component={Link} to="/email-templates" size="sm">
        {t("emailTemplates.back")}
      </Anchor>
      <Group gap="sm">
        <Title order={2}>{t("emailTemplates.editTitle", { key })}</Title>
        {template.data && <TemplateBadges template={template.data} />}
      </Group>
      <QueryState query={template} lines={8}>
        {(data) => <Editor template={data} />}
      </QueryState>
    </Stack>
  );
}
