// `npm run migrate`: applies the migrations of auth (db/auth/) and then location
// (db/location/) through their migrate entry points, run from source, with this environment
// (MYSQL_URL, NODE_ENV, …; each service takes its own database unless MYSQL_URL names one or
// MYSQL_DATABASE is set). Each prints one line; the exit status is the first failure's, if any.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const ENTRIES = ["services/auth/src/migrate.ts", "services/location/src/migrate.ts"];

let status = 0;
for (const entry of ENTRIES) {
  const result = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", entry], {
    cwd: root,
    stdio: "inherit",
  });
  const code = result.status ?? 1;
  if (code !== 0 && status === 0) status = code;
}
process.exit(status);
