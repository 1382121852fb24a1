import Form from "@rjsf/mantine";
import type { ErrorSchema, RJSFSchema, UiSchema } from "@rjsf/utils";
import type { ReactNode } from "react";
import { schemaValidator } from "./schemaValidator";

/** A form generated from a JSON Schema (a category's attribute schema, a worker type's
 * settings): checked in the browser by the schema, and showing the server's own field
 * errors (`serverErrors`, from a problem's `errors`) beside them. */
export function SchemaForm<T>({
  schema,
  uiSchema,
  value,
  onChange,
  serverErrors,
  children,
  id,
}: {
  schema: RJSFSchema;
  uiSchema?: UiSchema;
  value: T;
  onChange: (value: T) => void;
  serverErrors?: ErrorSchema;
  /** Replaces rjsf's own submit button (pass a fragment for none). */
  children?: ReactNode;
  id?: string;
}) {
  return (
    <Form
      id={id}
      schema={schema}
      uiSchema={{ "ui:submitButtonOptions": { norender: true }, ...uiSchema }}
      validator={schemaValidator}
      formData={value}
      onChange={(event) => onChange(event.formData as T)}
      extraErrors={serverErrors}
      liveValidate="onChange"
      showErrorList={false}
      noHtml5Validate
    >
      {children ?? <></>}
    </Form>
  );
}

/** A problem's field errors under `prefix` (e.g. `attributes`) as rjsf's error schema. */
export function serverErrorSchema(fieldErrors: Record<string, string>, prefix: string): ErrorSchema {
  const schema: Record<string, unknown> = {};
  for (const [path, message] of Object.entries(fieldErrors)) {
    if (path !== prefix && !path.startsWith(`${prefix}.`)) continue;
    const parts = path.slice(prefix.length).split(".").filter(Boolean);
    let node = schema;
    for (const part of parts) node = (node[part] ??= {}) as Record<string, unknown>;
    ((node.__errors ??= []) as string[]).push(message);
  }
  return schema as ErrorSchema;
}
