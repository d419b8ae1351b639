// Applies the location service's migrations (db/location/) and exits: what deployments run
// before the service starts. One line says how many were applied, or why not (exit 1; 78 for
// a wrong configuration).

import { runMigrationCommand } from "@switchboard/kit";
import { loadLocationConfig } from "./config.js";
import { MIGRATIONS_DIR } from "./service.js";

process.exitCode = await runMigrationCommand({
  service: "location",
  loadConfig: () => loadLocationConfig(process.env),
  migrationsDir: MIGRATIONS_DIR,
});
