// Generates the API types (shared/src/api/schema.d.ts) from the backend's OpenAPI document,
// and beside them the JSON Schemas of the worker types' settings (workerSettings.json), from
// which the admin app generates the settings forms.
// Usage: node shared/scripts/generate.mjs [--out <file>] [--settings-out <file>] [--document <openapi.json>]
// (--document: use that OpenAPI document instead of asking the backend for it.)
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../../..");
const backend = join(repo, "backend");
function option(name) {
  const index = process.argv.indexOf(name);
  return index > 0 && process.argv[index + 1] ? resolve(process.argv[index + 1]) : null;
}
const out = option("--out") ?? resolve(here, "../src/api/schema.d.ts");
const settingsOut = option("--settings-out") ?? resolve(here, "../src/api/workerSettings.json");
const givenDocument = option("--document");

function uvCommand() {
  if (process.env.UV) return process.env.UV;
  const local = join(repo, ".tools/bin/uv");
  return existsSync(local) ? local : "uv";
}

const CONFIGURATIONS = "/api/v1/worker-configurations";

/** `#/components/schemas/<name>` of `document`, with every `$ref` inside it resolved. */
function resolved(document, schema, seen = []) {
  if (Array.isArray(schema)) return schema.map((item) => resolved(document, item, seen));
  if (schema === null || typeof schema !== "object") return schema;
  if (typeof schema.$ref === "string") {
    const name = schema.$ref.replace("#/components/schemas/", "");
    if (seen.includes(name)) throw new Error(`recursive schema ${name}: not a settings form`);
    const siblings = Object.fromEntries(Object.entries(schema).filter(([key]) => key !== "$ref"));
    return { ...resolved(document, document.components.schemas[name], [...seen, name]), ...resolved(document, siblings, seen) };
  }
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, resolved(document, value, seen)]));
}

/** Each worker type's settings schema, as creating a configuration of that type takes it:
 * the request body's discriminator names the type's create schema, whose `settings` it is. */
function workerSettings(document) {
  const body = document.paths[CONFIGURATIONS].post.requestBody.content["application/json"].schema;
  const result = {};
  for (const [type, ref] of Object.entries(body.discriminator.mapping)) {
    const create = resolved(document, { $ref: ref });
    result[type] = create.properties.settings;
  }
  return result;
}

const workDir = mkdtempSync(join(tmpdir(), "oms-openapi-"));
try {
  const documentPath = givenDocument ?? join(workDir, "openapi.json");
  if (!givenDocument) {
    execFileSync(uvCommand(), ["run", "--frozen", "oms", "openapi", "--output", documentPath], {
      cwd: backend,
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  const ast = await openapiTS(pathToFileURL(documentPath));
  const header =
    "// Generated from the OMS OpenAPI document by `npm run generate`; do not edit.\n\n";
  writeFileSync(out, header + astToString(ast));
  console.log(`API types written to ${out}`);
  const document = JSON.parse(readFileSync(documentPath, "utf-8"));
  writeFileSync(settingsOut, `${JSON.stringify(workerSettings(document), null, 2)}\n`);
  console.log(`Worker settings schemas written to ${settingsOut}`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
