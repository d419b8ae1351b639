// Applies the auth service's migrations (db/auth/) and exits: what deployments run before
// the service starts. One line says how many were applied, or why not (exit 1; 78 for a
// wrong configuration).

import { runMigrationCommand } from "@switchboard/kit";
import { loadAuthConfig } from "./config.js";
import { MIGRATIONS_DIR } from "./service.js";

process.exitCode = await runMigrationCommand({
  service: "auth",
  loadConfig: () => loadAuthConfig(process.env).config,
  migrationsDir: MIGRATIONS_DIR,
});
