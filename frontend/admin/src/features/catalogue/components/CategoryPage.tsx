import { Alert, Anchor, Breadcrumbs, Button, Card, Code, Group, List, Modal, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from "@mantine/core";
import { IdempotencyKeys, ProblemAlert, QueryState, isProblem, isStaleEdit, useDocumentTitle } from "@oms/shared";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { type Category, type CategoryUpdate, type SchemaCheck, useCategory, useCreateCategory, useDeleteCategory, useSchemaCheck, useUpdateCategory } from "../api";
import { parseSchema, sameSchema, schemaText } from "../schemaText";
import { MONOSPACE } from "./monospace";

const NEW_SCHEMA = { type: "object", properties: {}, additionalProperties: false };
const SCHEMA_FIELD = "attribute_schema";

function Trail({ current }: { current: string }) {
  const { t } = useTranslation();
  return (
    <Breadcrumbs>
      <Anchor component={Link} to="/categories">
        {t("catalogue.categories.title")}
      </Anchor>
      <Text>{current}</Text>
    </Breadcrumbs>
  );
}

/** The problems the API found in the schema itself, by where in the schema they are. */
function SchemaProblems({ problems }: { problems: { field: string; message: string }[] }) {
  if (problems.length === 0) return null;
  return (
    <List size="sm" spacing={4}>
      {problems.map((problem, index) => (
        <List.Item key={index}>
          <Code>{problem.field}</Code> {problem.message}
        </List.Item>
      ))}
    </List>
  );
}

function CheckResult({ result, outdated }: { result: SchemaCheck; outdated: boolean }) {
  const { t } = useTranslation();
  return (
    <Card withBorder component="section" aria-labelledby="check-title">
      <Stack gap="sm">
        <Title order={3} size="h5" id="check-title">
          {t("catalogue.schema.checkTitle")}
        </Title>
        {outdated && (
          <Text size="sm" c="dimmed">
            {t("catalogue.schema.outdated")}
          </Text>
        )}
        {!result.valid_schema ? (
          <Alert color="red" title={t("catalogue.schema.invalid")} role="alert">
            <SchemaProblems problems={result.schema_errors} />
          </Alert>
        ) : result.broken_count === 0 ? (
          <Alert color="green" role="status">
            {t("catalogue.schema.fine", { count: result.checked })}
          </Alert>
        ) : (
          <>
            <Alert color="yellow" role="alert">
              {t("catalogue.schema.breaks", { count: result.broken_count, checked: result.checked })}
            </Alert>
            <Table.ScrollContainer minWidth={560}>
              <Table striped aria-label={t("catalogue.schema.brokenProducts")}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("catalogue.product.sku")}</Table.Th>
                    <Table.Th>{t("catalogue.product.name")}</Table.Th>
                    <Table.Th>{t("catalogue.schema.why")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {result.broken.map((product) => (
                    <Table.Tr key={product.product_id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/products/${product.product_id}`} ff="monospace">
                          {product.sku}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{product.name}</Table.Td>
                      <Table.Td>
                        <List size="sm" spacing={2}>
                          {product.errors.map((error, index) => (
                            <List.Item key={index}>
                              <Code>{error.path}</Code> {error.message}
                            </List.Item>
                          ))}
                        </List>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {result.broken_count > result.broken.length && (
              <Text size="sm" c="dimmed">
                {t("catalogue.schema.moreBroken", { count: result.broken_count - result.broken.length })}
              </Text>
            )}
          </>
        )}
      </Stack>
    </Card>
  );
}

/** The schema's problems a refused save named (`attribute_schema.properties.x.type`). */
function schemaFieldErrors(error: unknown): { field: string; message: string }[] {
  if (!isProblem(error)) return [];
  return Object.entries(error.fieldErrors)
    .filter(([field]) => field === SCHEMA_FIELD || field.startsWith(`${SCHEMA_FIELD}.`))
    .map(([field, message]) => ({ field, message }));
}

function SchemaEditor({ text, onChange, error }: { text: string; onChange: (text: string) => void; error: string | null }) {
  const { t } = useTranslation();
  return (
    <Textarea
      label={t("catalogue.schema.label")}
      description={t("catalogue.schema.hint")}
      value={text}
      onChange={(event) => onChange(event.currentTarget.value)}
      error={error}
      autosize
      minRows={12}
      maxRows={40}
      spellCheck={false}
      autoCapitalize="off"
      autoCorrect="off"
      styles={{ input: { ...MONOSPACE.input, fontSize: "var(--mantine-font-size-sm)" } }}
    />
  );
}

function useParsed(text: string) {
  const { t } = useTranslation();
  const parsed = parseSchema(text);
  const message = parsed.error === "notJson" ? t("catalogue.schema.notJson", { detail: parsed.detail }) : parsed.error === "notObject" ? t("catalogue.schema.notObject") : null;
  return { schema: parsed.schema, message };
}

function DeleteCategory({ category }: { category: Category }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const remove = useDeleteCategory();
  const navigate = useNavigate();
  return (
    <>
      <Button variant="light" color="red" onClick={() => setAsking(true)}>
        {t("catalogue.category.delete")}
      </Button>
      <Modal opened={asking} onClose={() => setAsking(false)} title={t("catalogue.category.deleteTitle", { name: category.name })}>
        <Stack>
          <Text>{t("catalogue.category.deleteText")}</Text>
          <ProblemAlert error={remove.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAsking(false)}>
              {t("catalogue.cancel")}
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate(category.id, { onSuccess: () => void navigate("/categories", { replace: true }) })}>
              {t("catalogue.category.delete")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

type CategoryUpdater = ReturnType<typeof useUpdateCategory>;

/** The editor restarts from each new version; what the last save answered (`update`,
 * `saved`) outlives that, so a stale edit's message stays beside the current values. */
function EditCategory({ category, update, saved, setSaved }: { category: Category; update: CategoryUpdater; saved: boolean; setSaved: (saved: boolean) => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState(category.code);
  const [name, setName] = useState(category.name);
  const [text, setText] = useState(() => schemaText(category.attribute_schema));
  const { schema, message } = useParsed(text);
  const check = useSchemaCheck(category.id);
  const [checkedText, setCheckedText] = useState<string | null>(null);

  const runCheck = () => {
    if (!schema) return;
    setCheckedText(text);
    check.mutate(schema);
  };
  const save = () => {
    if (!schema) return;
    const body: CategoryUpdate = {};
    if (code.trim() !== category.code) body.code = code.trim();
    if (name.trim() !== category.name) body.name = name.trim();
    if (!sameSchema(schema, category.attribute_schema)) body.attribute_schema = schema;
    setSaved(false);
    update.mutate(
      { body, version: category.version },
      {
        onSuccess: () => setSaved(true),
        onError: (error) => {
          // The products it would refuse: listed as the check lists them.
          if (isProblem(error) && error.slug === "schema-breaks-products") runCheck();
        },
      },
    );
  };
  const fieldErrors = isProblem(update.error) ? update.error.fieldErrors : {};
  const schemaErrors = schemaFieldErrors(update.error);
  return (
    <Stack>
      <Trail current={category.name} />
      <Group justify="space-between">
        <Title order={2}>{category.name}</Title>
        <DeleteCategory category={category} />
      </Group>
      {isStaleEdit(update.error) && (
        <Alert color="yellow" role="alert" title={t("catalogue.staleTitle")}>
          {t("common:error.stale")}
        </Alert>
      )}
      {saved && !update.isPending && (
        <Alert color="green" role="status">
          {t("catalogue.category.saved")}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t("catalogue.category.name")} required value={name} onChange={(event) => setName(event.currentTarget.value)} error={fieldErrors.name} maxLength={200} />
        <TextInput
          label={t("catalogue.category.code")}
          description={t("catalogue.category.codeHint")}
          required
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          error={fieldErrors.code}
          maxLength={64}
          styles={MONOSPACE}
        />
      </SimpleGrid>
      <SchemaEditor text={text} onChange={setText} error={message} />
      {schemaErrors.length > 0 && (
        <Alert color="red" title={t("catalogue.schema.invalid")}>
          <SchemaProblems problems={schemaErrors} />
        </Alert>
      )}
      {!isStaleEdit(update.error) && <ProblemAlert error={update.error} />}
      <ProblemAlert error={check.error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={runCheck} disabled={!schema} loading={check.isPending}>
          {t("catalogue.schema.check")}
        </Button>
        <Button onClick={save} disabled={!schema} loading={update.isPending}>
          {t("catalogue.category.save")}
        </Button>
      </Group>
      {check.data && <CheckResult result={check.data} outdated={checkedText !== text} />}
    </Stack>
  );
}

export function CategoryPage() {
  const { t } = useTranslation();
  const { categoryId = "" } = useParams();
  const category = useCategory(categoryId);
  const update = useUpdateCategory(categoryId);
  const [saved, setSaved] = useState(false);
  useDocumentTitle(category.data?.name ?? t("catalogue.categories.title"));
  // A new version (saved here or elsewhere) starts the editor from what is stored.
  return (
    <QueryState query={category}>
      {(found) => <EditCategory key={found.version} category={found} update={update} saved={saved} setSaved={setSaved} />}
    </QueryState>
  );
}

export function NewCategoryPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("catalogue.categories.new"));
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  const [text, setText] = useState(() => schemaText(NEW_SCHEMA));
  const { schema, message } = useParsed(text);
  const create = useCreateCategory();
  const [keys] = useState(() => new IdempotencyKeys());
  const navigate = useNavigate();
  const fieldErrors = isProblem(create.error) ? create.error.fieldErrors : {};
  const schemaErrors = schemaFieldErrors(create.error);
  const submit = () => {
    if (!schema) return;
    const body = { code: code.trim(), name: name.trim(), attribute_schema: schema };
    create.mutate(
      { body, key: keys.keyFor(JSON.stringify(body)) },
      {
        onSuccess: (category) => {
          keys.settle();
          void navigate(`/categories/${category.id}`, { replace: true });
        },
      },
    );
  };
  return (
    <Stack>
      <Trail current={t("catalogue.categories.new")} />
      <Title order={2}>{t("catalogue.categories.new")}</Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
        noValidate
      >
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t("catalogue.category.name")} required value={name} onChange={(event) => setName(event.currentTarget.value)} error={fieldErrors.name} maxLength={200} />
            <TextInput
              label={t("catalogue.category.code")}
              description={t("catalogue.category.codeHint")}
              required
              value={code}
              onChange={(event) => setCode(event.currentTarget.value)}
              error={fieldErrors.code}
              maxLength={64}
              styles={MONOSPACE}
            />
          </SimpleGrid>
          <SchemaEditor text={text} onChange={setText} error={message} />
          {schemaErrors.length > 0 && (
            <Alert color="red" title={t("catalogue.schema.invalid")}>
              <SchemaProblems problems={schemaErrors} />
            </Alert>
          )}
          <ProblemAlert error={create.error} />
          <Group justify="flex-end">
            <Button type="submit" disabled={!schema} loading={create.isPending}>
              {t("catalogue.category.create")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
