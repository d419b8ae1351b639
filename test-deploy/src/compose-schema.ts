// The Compose specification's JSON schema (schema/compose-spec.json of the compose-spec
// project), as shipped by the dclint package, and a validator for it.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Ajv } from "ajv";

const require = createRequire(import.meta.url);

function loadSchema(): object {
  const packageDir = dirname(require.resolve("dclint/package.json"));
  const path = join(packageDir, "schemas", "compose.schema.json");
  // The schema is draft-07, Ajv's default, but names it by an https:// URI Ajv does not know.
  const { $schema: _draft, ...schema } = JSON.parse(readFileSync(path, "utf8"));
  return schema;
}

/** Problems of a compose model under the Compose specification's schema; empty when valid. */
export function composeSchemaProblems(model: unknown): string[] {
  // The schema's formats (duration, ports…) are Compose's own, checked by Compose itself.
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  const validate = ajv.compile(loadSchema());
  if (validate(model)) return [];
  return (validate.errors ?? []).map(
    (error) =>
      `${error.instancePath || "/"} ${error.message ?? ""} ${JSON.stringify(error.params)}`,
  );
}
