// Where the repository is, and reading its files.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (test-deploy's parent). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The absolute path of a repository-relative path. */
export function repoPath(relative: string): string {
  return join(REPO_ROOT, relative);
}

/** A repository file's text. */
export function readRepoFile(relative: string): string {
  return readFileSync(repoPath(relative), "utf8");
}

export function repoFileExists(relative: string): boolean {
  return existsSync(repoPath(relative));
}

/**
 * The TypeScript source a compiled entry is built from: `services/auth/dist/main.js` →
 * `services/auth/src/main.ts` (every package compiles `src/` into `dist/`).
 */
export function sourceOfBuiltFile(built: string): string {
  const match = /^(?<pkg>(?:packages|services)\/[^/]+)\/dist\/(?<file>.+)\.js$/.exec(built);
  if (match?.groups === undefined) throw new Error(`not a built file of a package: ${built}`);
  return `${match.groups.pkg}/src/${match.groups.file}.ts`;
}

/** The package directory of a built file: `services/auth/dist/main.js` → `services/auth`. */
export function packageOfBuiltFile(built: string): string {
  return sourceOfBuiltFile(built).replace(/\/src\/.*$/, "");
}
