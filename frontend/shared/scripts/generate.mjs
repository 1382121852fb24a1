// Generates the API types (shared/src/api/schema.d.ts) from the backend's OpenAPI document.
// Usage: node shared/scripts/generate.mjs [--out <file>] [--document <openapi.json>]
// (--document: use that OpenAPI document instead of asking the backend for it.)
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
const givenDocument = option("--document");

function uvCommand() {
  if (process.env.UV) return process.env.UV;
  const local = join(repo, ".tools/bin/uv");
  return existsSync(local) ? local : "uv";
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
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
