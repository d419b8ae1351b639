// Runs every *.test.ts file with node's test runner, TypeScript loaded by tsx and
// workspace packages resolved to their sources ("source" export condition).
//   npm test                      all tests
//   npm test -- packages/sip      only the files whose path contains one of the arguments
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findFiles } from "./find-files.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const filters = process.argv.slice(2);
const files = findFiles(root, ".test.ts").filter(
  (file) => filters.length === 0 || filters.some((filter) => file.includes(filter)),
);
if (files.length === 0) {
  console.error(`no test files match ${filters.join(" ")}`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  [
    "--conditions=source",
    "--import",
    "tsx",
    "--test",
    `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 4}`,
    "--test-reporter=spec",
    ...files,
  ],
  { cwd: root, stdio: "inherit" },
);
process.exit(result.status ?? 1);
