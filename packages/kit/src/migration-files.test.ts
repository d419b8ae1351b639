import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { MigrationError, readMigrations, splitStatements } from "./migration-files.js";

async function folderWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "kit-migrations-"));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

describe("splitStatements", () => {
  it("MUST split at a ; that ends a line, and only there", () => {
    const sql = [
      "CREATE TABLE t (",
      "  v VARCHAR(10)",
      ");",
      "INSERT INTO t VALUES ('a;b'), ('c');  ",
      "INSERT INTO t VALUES ('d')",
    ].join("\n");
    assert.deepEqual(splitStatements(sql), [
      "CREATE TABLE t (\n  v VARCHAR(10)\n)",
      "INSERT INTO t VALUES ('a;b'), ('c')",
      "INSERT INTO t VALUES ('d')",
    ]);
  });

  it("MUST NOT end a statement at a comment line ending in ; and MUST drop comment-only chunks", () => {
    const sql = "-- header;\n# note;\r\nSELECT 1;\n\n-- trailing comment\n";
    assert.deepEqual(splitStatements(sql), ["-- header;\n# note;\nSELECT 1"]);
  });
});

describe("readMigrations", () => {
  it("MUST return the .sql files in version order with checksums, ignoring other files", async () => {
    const dir = await folderWith({
      "0002_add_index.sql": "CREATE INDEX i ON t (v);",
      "0001_create.sql": "CREATE TABLE t (v INT);",
      "README.md": "not a migration",
    });
    try {
      const migrations = await readMigrations(dir);
      assert.deepEqual(
        migrations.map(({ version, name, file }) => ({ version, name, file })),
        [
          { version: 1, name: "create", file: "0001_create.sql" },
          { version: 2, name: "add_index", file: "0002_add_index.sql" },
        ],
      );
      assert.match(migrations[0]?.checksum ?? "", /^[0-9a-f]{64}$/);
      assert.notEqual(migrations[0]?.checksum, migrations[1]?.checksum);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it("MUST refuse a badly named .sql file and two files with one version", async () => {
    const cases: Record<string, string>[] = [
      { "1_create.sql": "SELECT 1;" },
      { "0001_Create.sql": "SELECT 1;" },
      { "0001_a.sql": "SELECT 1;", "0001_b.sql": "SELECT 2;" },
    ];
    for (const files of cases) {
      const dir = await folderWith(files);
      try {
        await assert.rejects(readMigrations(dir), MigrationError, Object.keys(files).join());
      } finally {
        await rm(dir, { recursive: true });
      }
    }
  });
});
