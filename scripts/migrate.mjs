// `npm run migrate`: applies the migrations of auth (db/auth/) and then location
// (db/location/) through their migrate entry points, run from source, with this environment
// (MYSQL_URL, NODE_ENV, …), each in a database of its own (see service-databases.mjs). Each
// prints one line; the exit status is the first failure's, if any.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { serviceEnv, sharedDatabaseProblem } from "./service-databases.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const SERVICES = [
  { name: "auth", entry: "services/auth/src/migrate.ts" },
  { name: "location", entry: "services/location/src/migrate.ts" },
];

const sharedDatabase = sharedDatabaseProblem(process.env);
if (sharedDatabase) {
  console.error(`migrate: ${sharedDatabase}`);
  process.exit(1);
}
let status = 0;
for (const service of SERVICES) {
  const result = spawnSync(
    process.execPath,
    ["--conditions=source", "--import", "tsx", service.entry],
    { cwd: root, env: serviceEnv(service.name, process.env), stdio: "inherit" },
  );
  const code = result.status ?? 1;
  if (code !== 0 && status === 0) status = code;
}
process.exit(status);
