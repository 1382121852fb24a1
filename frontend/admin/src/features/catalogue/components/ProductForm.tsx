import { Alert, Button, Card, Group, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { ProblemAlert, isProblem, isStaleEdit } from "@oms/shared";
import type { ErrorSchema, RJSFSchema } from "@rjsf/utils";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { SchemaForm, serverErrorSchema } from "../../../lib/SchemaForm";
import { MONOSPACE } from "./monospace";
import type { Category, Product, ProductCreate } from "../api";
import { type ProductFields, changedFields, fieldsOf, toProductCreate, validatePrice, validateSku, validateStock } from "../productFields";

type Attributes = Record<string, unknown>;

const FORM_ID = "product-form";

/** Where the API's field errors go: the form's own fields by name (`category_id` under the
 * category), the attributes' under their fields in the generated form. */
function formErrors(fieldErrors: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [field, message] of Object.entries(fieldErrors)) {
    if (field === "attributes" || field.startsWith("attributes.")) continue;
    errors[field] = message;
  }
  return errors;
}

function hasProperties(schema: Record<string, unknown> | undefined): boolean {
  if (!schema) return false;
  const properties = schema.properties;
  return typeof properties === "object" && properties !== null && Object.keys(properties).length > 0;
}

export interface SaveHandlers {
  onSuccess: () => void;
  onError: (error: unknown) => void;
}

/** The product's fields and its attributes, the attributes' form generated from the
 * chosen category's JSON Schema. The browser checks them as a courtesy; the API is the
 * judge, and its field errors are shown under their fields. */
export function ProductForm({
  product,
  categories,
  saving,
  error,
  onCreate,
  onUpdate,
}: {
  product: Product | null;
  categories: Category[];
  saving: boolean;
  error: unknown;
  onCreate?: (body: ProductCreate, handlers: SaveHandlers) => void;
  onUpdate?: (changes: Partial<ProductCreate>, handlers: SaveHandlers) => void;
}) {
  const { t } = useTranslation();
  const form = useForm<ProductFields>({
    initialValues: fieldsOf(product),
    validate: {
      sku: (value) => (validateSku(value) ? t(`catalogue.product.errors.${validateSku(value)}`) : null),
      name: (value) => (value.trim() ? null : t("catalogue.product.errors.required")),
      price: (value) => (validatePrice(value) ? t(`catalogue.product.errors.${validatePrice(value)}`) : null),
      stock: (value) => (validateStock(value) ? t(`catalogue.product.errors.${validateStock(value)}`) : null),
      category_id: (value) => (value ? null : t("catalogue.product.errors.required")),
    },
  });
  const [attributes, setAttributes] = useState<Attributes>(product?.attributes ?? {});
  const [attributeErrors, setAttributeErrors] = useState<ErrorSchema | undefined>(undefined);
  const category = categories.find((candidate) => candidate.id === form.values.category_id);
  const schema: RJSFSchema | undefined = category?.attribute_schema;

  const handlers: SaveHandlers = {
    onSuccess: () => setAttributeErrors(undefined),
    onError: (problem) => {
      if (!isProblem(problem)) return;
      form.setErrors(formErrors(problem.fieldErrors));
      setAttributeErrors(serverErrorSchema(problem.fieldErrors, "attributes"));
    },
  };
  const submit = form.onSubmit((values) => {
    setAttributeErrors(undefined);
    if (product) onUpdate?.(changedFields(product, values, attributes), handlers);
    else onCreate?.(toProductCreate(values, attributes), handlers);
  });

  return (
    // The attributes' generated form is a form of its own, so it stands beside this one
    // (forms do not nest); the save button submits this one.
    <Stack>
      <form id={FORM_ID} onSubmit={submit} noValidate aria-labelledby="product-form-title">
        <Stack>
          <Title order={3} size="h4" id="product-form-title">
            {t("catalogue.product.details")}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t("catalogue.product.name")} required maxLength={200} {...form.getInputProps("name")} />
            <TextInput label={t("catalogue.product.sku")} description={t("catalogue.product.skuHint")} required maxLength={64} styles={MONOSPACE} {...form.getInputProps("sku")} />
            <TextInput
              label={t("catalogue.product.price")}
              description={t("catalogue.product.priceHint")}
              required
              inputMode="decimal"
              {...form.getInputProps("price")}
            />
            <TextInput label={t("catalogue.product.stock")} description={t("catalogue.product.stockHint")} inputMode="numeric" {...form.getInputProps("stock")} />
            <Select
              label={t("catalogue.product.category")}
              required
              data={categories.map((candidate) => ({ value: candidate.id, label: candidate.name }))}
              allowDeselect={false}
              {...form.getInputProps("category_id")}
            />
          </SimpleGrid>
          <Textarea label={t("catalogue.product.description")} autosize minRows={3} maxLength={10000} {...form.getInputProps("description")} />
        </Stack>
      </form>
      <Card withBorder component="section" aria-labelledby="attributes-title">
        <Stack gap="xs">
          <Title order={3} size="h5" id="attributes-title">
            {t("catalogue.product.attributes")}
          </Title>
          {!category ? (
            <Text c="dimmed" size="sm">
              {t("catalogue.product.chooseCategory")}
            </Text>
          ) : hasProperties(category.attribute_schema) && schema ? (
            <SchemaForm<Attributes>
              key={category.id}
              id="product-attributes"
              schema={schema}
              value={attributes}
              onChange={setAttributes}
              serverErrors={attributeErrors}
            />
          ) : (
            <Text c="dimmed" size="sm">
              {t("catalogue.product.noAttributes")}
            </Text>
          )}
        </Stack>
      </Card>
      {!isStaleEdit(error) && <ProblemAlert error={error} />}
      {Object.keys(form.errors).length > 0 && (
        <Alert color="red" role="alert">
          {t("catalogue.product.fixErrors")}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button type="submit" form={FORM_ID} loading={saving}>
          {product ? t("catalogue.product.save") : t("catalogue.product.create")}
        </Button>
      </Group>
    </Stack>
  );
}
