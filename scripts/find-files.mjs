// Lists the project's source files with a given suffix (for the test and bench runners).
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";

const ROOTS = ["packages", "services", "test-e2e", "test-deploy"];
const SKIP = new Set(["node_modules", "dist"]);

export function findFiles(root, suffix) {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (SKIP.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(suffix)) found.push(relative(root, path));
    }
  };
  for (const top of ROOTS) walk(join(root, top));
  return found.sort();
}
