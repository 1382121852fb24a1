import { type OutputUnit, type Schema, Validator } from "@cfworker/json-schema";
import { type RJSFSchema, type RJSFValidationError, type ValidatorType, toErrorSchema } from "@rjsf/utils";

// Keywords that only report that something inside them failed; the inner failure (or the
// wrapper's own unit, for `false`) says what.
const WRAPPERS = new Set(["properties", "items", "prefixItems", "additionalItems", "allOf", "$ref", "$dynamicRef", "false"]);
const MISSING = /required property "(.+)"/;

function compile(schema: RJSFSchema, rootSchema?: RJSFSchema): Validator {
  const withDefinitions = rootSchema?.$defs && !schema.$defs ? { ...schema, $defs: rootSchema.$defs } : schema;
  return new Validator(withDefinitions as Schema, "2020-12", false);
}

/** `#/dimensions/width` as rjsf's property path `.dimensions.width`. */
function propertyOf(instanceLocation: string): string {
  const pointer = instanceLocation.replace(/^#/, "");
  if (!pointer) return "";
  return pointer
    .split("/")
    .slice(1)
    .map((part) => `.${part.replace(/~1/g, "/").replace(/~0/g, "~")}`)
    .join("");
}

function toRjsfError(unit: OutputUnit): RJSFValidationError {
  // A missing field is shown at that field, as rjsf's own validators do.
  const missing = unit.keyword === "required" ? MISSING.exec(unit.error)?.[1] : undefined;
  const property = propertyOf(unit.instanceLocation) + (missing ? `.${missing}` : "");
  const message = unit.error.replace(/^Instance\s*/, "");
  return { name: unit.keyword, property, message, schemaPath: unit.keywordLocation, stack: `${property || "."} ${message}`.trim() };
}

/** rjsf's validator on @cfworker/json-schema, which interprets JSON Schema 2020-12 (the
 * attribute schemas' dialect) without compiling code: the apps' Content-Security-Policy
 * allows no `eval`, which Ajv needs. */
export const schemaValidator: ValidatorType = {
  validateFormData(formData, schema, _customValidate, transformErrors, uiSchema) {
    const result = compile(schema).validate(formData ?? {});
    let errors = result.errors.filter((unit) => !WRAPPERS.has(unit.keyword)).map(toRjsfError);
    if (transformErrors) errors = transformErrors(errors, uiSchema);
    return { errors, errorSchema: toErrorSchema(errors) };
  },
  isValid(schema, formData, rootSchema) {
    try {
      return compile(schema, rootSchema).validate(formData).valid;
    } catch {
      return false;
    }
  },
  rawValidation(schema, formData) {
    try {
      return { errors: compile(schema).validate(formData).errors as never[] };
    } catch (error) {
      return { validationError: error as Error };
    }
  },
};
