// The TypeScript sources of the workspace packages and the imports between them: which
// files the entry points reach, and so which ones only tests and benchmarks use.

import { type Dirent, readdirSync } from "node:fs";
import { posix } from "node:path";
import { readRepoFile, repoFileExists, repoPath } from "./repo.js";

interface PackageManifest {
  readonly name: string;
  readonly workspaces?: readonly string[];
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly exports?: Readonly<Record<string, { readonly source?: string }>>;
  readonly scripts?: Readonly<Record<string, string>>;
}

export function packageManifest(dir: string): PackageManifest {
  return JSON.parse(readRepoFile(`${dir}/package.json`)) as PackageManifest;
}

/** The root package.json's workspaces (directories). */
export function workspaceDirs(): string[] {
  return [...(packageManifest(".").workspaces ?? [])];
}

const workspaceByName = new Map(workspaceDirs().map((dir) => [packageManifest(dir).name, dir]));

/** The source file of a package export: `@switchboard/kit/testing` → packages/kit/src/testing.ts. */
function exportSource(specifier: string): string | undefined {
  const match = /^(@switchboard\/[^/]+)(\/.+)?$/.exec(specifier);
  const dir = match === null ? undefined : workspaceByName.get(match[1] as string);
  if (match === null || dir === undefined) return undefined;
  const source = packageManifest(dir).exports?.[`.${match[2] ?? ""}`]?.source;
  return source === undefined ? undefined : posix.join(dir, source);
}

/** The package's main export source (`src/index.ts`), for the package in `dir`. */
export function mainExportSource(dir: string): string | undefined {
  return exportSource(packageManifest(dir).name);
}

/** The repository files `file` imports or re-exports (workspace packages and relative paths). */
export function importsOf(file: string): string[] {
  const text = readRepoFile(file);
  const targets: string[] = [];
  for (const match of text.matchAll(/\b(?:from|import)\s*\(?\s*"([^"]+)"/g)) {
    const specifier = match[1] as string;
    const target = specifier.startsWith(".")
      ? posix.join(posix.dirname(file), specifier).replace(/\.js$/, ".ts")
      : exportSource(specifier);
    if (target !== undefined && repoFileExists(target)) targets.push(target);
  }
  return targets;
}

/** `roots` and every file they import, transitively. */
export function reachableSources(roots: readonly string[]): Set<string> {
  const reached = new Set<string>();
  const pending = [...roots];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (reached.has(file)) continue;
    reached.add(file);
    pending.push(...importsOf(file));
  }
  return reached;
}

/** Every `.ts` file under `dir` (repository-relative), tests and benchmarks included. */
export function typeScriptFiles(dir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(repoPath(dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}
