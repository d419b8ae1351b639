// Runs every *.bench.ts file in turn; each prints its own figures.
//   npm run bench                 all benchmarks
//   npm run bench -- sip          only the files whose path contains one of the arguments
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findFiles } from "./find-files.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const filters = process.argv.slice(2);
const files = findFiles(root, ".bench.ts").filter(
  (file) => filters.length === 0 || filters.some((filter) => file.includes(filter)),
);
let failed = 0;
for (const file of files) {
  console.log(`\n== ${file}`);
  const result = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", file], {
    cwd: root,
    stdio: "inherit",
  });
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
