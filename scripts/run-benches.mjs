// Runs every *.bench.ts file in turn; each prints its own figures.
//   npm run bench                 all benchmarks
//   npm run bench -- sip          only the files whose path contains one of the arguments
// Each runs with the Node.js flags the services run with in production (the auth and
// location benchmarks run their service in the benchmark's own process).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findFiles } from "./find-files.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const filters = process.argv.slice(2);
const files = findFiles(root, ".bench.ts").filter(
  (file) => filters.length === 0 || filters.some((filter) => file.includes(filter)),
);
const build = spawnSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
if (build.status !== 0) {
  console.error("bench: the build failed");
  process.exit(1);
}
const { SERVICE_NODE_FLAGS } = await import("@switchboard/kit/service-node-flags");
let failed = 0;
for (const file of files) {
  console.log(`\n== ${file}`);
  const nodeArgs = [...SERVICE_NODE_FLAGS, "--conditions=source", "--import", "tsx", file];
  const result = spawnSync(process.execPath, nodeArgs, {
    cwd: root,
    stdio: "inherit",
  });
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
