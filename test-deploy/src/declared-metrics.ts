// The metrics a service's sources declare through kit's createCounter / createGauge /
// createHistogram, for a service that cannot be started in-process here.

import { type Dirent, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoPath } from "./repo.js";

const DECLARATION =
  /create(Counter|Gauge|Histogram)\s*(?:<[^>]*>)?\(\s*[\w.]+\s*,\s*\{\s*name:\s*"([a-z_:][a-z0-9_:]*)"/g;

function sourceFiles(dir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "bench" ? [] : sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** Metric name → type declared in `<serviceDir>/src`; empty when there are no sources. */
export function declaredMetrics(serviceDir: string): Map<string, string> {
  const catalog = new Map<string, string>();
  for (const file of sourceFiles(repoPath(`${serviceDir}/src`))) {
    for (const match of readFileSync(file, "utf8").matchAll(DECLARATION)) {
      catalog.set(match[2] as string, (match[1] as string).toLowerCase());
    }
  }
  return catalog;
}
