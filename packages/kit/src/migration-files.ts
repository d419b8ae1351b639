// Reading a folder of SQL migrations: NNNN_name.sql, several statements each.

import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** One migration file, parsed. */
export interface Migration {
  /** The NNNN of the file name. */
  readonly version: number;
  /** The name part of the file name (after NNNN_, without .sql). */
  readonly name: string;
  readonly file: string;
  /** SHA-256 of the file's bytes, hex. */
  readonly checksum: string;
  readonly statements: readonly string[];
}

/** Base class of migration failures. */
export class MigrationError extends Error {
  override name = "MigrationError";
}

const FILE_NAME = /^(\d{4})_([a-z0-9_-]+)\.sql$/;

function isComment(line: string): boolean {
  const trimmed = line.trim();
  return trimmed.startsWith("--") || trimmed.startsWith("#");
}

/**
 * The statements of a migration file. A statement ends with a `;` that is the last
 * non-blank character of its line; a `;` elsewhere (inside a string, mid-line) does not end
 * it, nor does one on a comment line (`--` or `#`). The final statement may omit its `;`.
 * Chunks holding only comments and blank lines are dropped.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  const flush = () => {
    const statement = current.join("\n").trim();
    if (current.some((line) => line.trim() !== "" && !isComment(line))) statements.push(statement);
    current = [];
  };
  for (const line of sql.split(/\r?\n/)) {
    const trimmed = line.trimEnd();
    if (!isComment(trimmed) && trimmed.endsWith(";")) {
      current.push(trimmed.slice(0, -1));
      flush();
    } else {
      current.push(line);
    }
  }
  flush();
  return statements;
}

/**
 * The migrations in `dir`, in version order. Files not ending in `.sql` are ignored.
 * @throws {@link MigrationError} for a `.sql` file not named `NNNN_name.sql` (lower case) or
 *   two files with one version.
 */
export async function readMigrations(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith(".sql")).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (!match?.[1] || !match[2]) {
      throw new MigrationError(`${join(dir, file)}: migration files must be named NNNN_name.sql`);
    }
    const version = Number(match[1]);
    const previous = migrations.at(-1);
    if (previous?.version === version) {
      throw new MigrationError(`${dir}: ${previous.file} and ${file} have the same version`);
    }
    const content = await readFile(join(dir, file));
    migrations.push({
      version,
      name: match[2],
      file,
      checksum: createHash("sha256").update(content).digest("hex"),
      statements: splitStatements(content.toString("utf8")),
    });
  }
  return migrations;
}
