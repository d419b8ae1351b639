import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CONFIG_REFERENCE_FILE,
  defaultCell,
  markdownTable,
  PRODUCTION_SECRET,
  renderConfigReference,
} from "./config-reference.js";
import { readRepoFile } from "./repo.js";
import { PROCESS_KINDS, processConfig } from "./service-configs.js";

const rendered = renderConfigReference();

/** The table rows of the section of `kind`: variable name → [default, meaning]. */
function rowsOf(kind: string): Map<string, [string, string]> {
  const start = rendered.indexOf(`\n## ${kind}:`);
  assert.ok(start >= 0, `a section for ${kind}`);
  const end = rendered.indexOf("\n## ", start + 1);
  const text = rendered.slice(start, end < 0 ? undefined : end);
  const rows = new Map<string, [string, string]>();
  for (const match of text.matchAll(/^\| `(\w+)` +\| (.+?) +\| (.+?) +\|$/gm)) {
    rows.set(match[1] as string, [match[2] as string, match[3] as string]);
  }
  return rows;
}

describe("configuration reference", () => {
  it(`is what ${CONFIG_REFERENCE_FILE} holds (else: run npm run docs:config)`, () => {
    const written = readRepoFile(CONFIG_REFERENCE_FILE);
    assert.ok(
      written === rendered,
      `${CONFIG_REFERENCE_FILE} is out of date with the configuration specs: run npm run docs:config`,
    );
  });

  it("lists every variable of every process, in its spec's order, with its meaning", () => {
    for (const kind of PROCESS_KINDS) {
      const rows = rowsOf(kind);
      const variables = processConfig(kind).variables;
      assert.deepEqual(
        [...rows.keys()],
        variables.map((v) => v.name),
        kind,
      );
      for (const variable of variables) {
        assert.equal(rows.get(variable.name)?.[1], variable.description, variable.name);
      }
    }
  });

  it("marks the secrets production refuses at their development default, and only those", () => {
    const marked = PROCESS_KINDS.flatMap((kind) =>
      [...rowsOf(kind)]
        .filter(([, [value]]) => value === PRODUCTION_SECRET)
        .map(([name]) => `${kind} ${name}`),
    );
    assert.deepEqual(marked, [
      "edge-proxy ROUTE_SECRET",
      "auth ADMIN_TOKEN",
      "auth NONCE_SECRET",
      "location ADMIN_TOKEN",
      "sbctl ADMIN_TOKEN",
    ]);
  });

  it("MUST NOT print the development value of a secret", () => {
    for (const kind of PROCESS_KINDS) {
      for (const variable of processConfig(kind).variables.filter((v) => v.secret)) {
        assert.ok(variable.default, `${variable.name} has a development default`);
        assert.equal(rendered.includes(variable.default), false, `${kind} ${variable.name}`);
      }
    }
  });

  it("shows a plain default in code, an empty one as (empty), none as required", () => {
    const base = { name: "X", description: "", secret: false };
    assert.equal(defaultCell({ ...base, default: "5060", required: false }, false), "`5060`");
    assert.equal(defaultCell({ ...base, default: "", required: false }, false), "(empty)");
    assert.equal(
      defaultCell({ ...base, default: undefined, required: true }, false),
      "**required**",
    );
    assert.equal(
      defaultCell({ ...base, default: "dev", required: false, secret: true }, false),
      "development default",
    );
  });

  it("pads the columns of a table and escapes pipes inside cells", () => {
    assert.equal(
      markdownTable(["A", "Meaning"], [["`x`", "one | two"]]),
      ["| A   | Meaning    |", "| --- | ---------- |", "| `x` | one \\| two |"].join("\n"),
    );
  });
});
