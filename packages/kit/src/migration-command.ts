// The migrate entry point of a service: apply its migrations and exit, as deployments do
// before the service starts (an init container, a one-shot compose service).

import type { LogLevel } from "./config-common.js";
import { createLogger } from "./logger.js";
import { entryPointFailure } from "./service-main.js";
import { openServiceDatabase, type ServiceDatabaseConfig } from "./service-start.js";

/** What the migrate command reads from the service's configuration. */
export type MigrationCommandConfig = ServiceDatabaseConfig & { readonly LOG_LEVEL: LogLevel };

interface LineWriter {
  write(text: string): unknown;
}

export interface MigrationCommandOptions {
  /** Starts every output line: `"auth"`. */
  readonly service: string;
  /** Parses the environment as the service's main does; throws its ConfigError when wrong. */
  loadConfig(): MigrationCommandConfig;
  readonly migrationsDir: string;
  /** Default process.stdout. */
  readonly stdout?: LineWriter;
  /** Default process.stderr. */
  readonly stderr?: LineWriter;
}

const migrations = (count: number) => `${count} migration${count === 1 ? "" : "s"}`;

/**
 * Loads the configuration, creates the database unless NODE_ENV is production (as the service
 * does at start), applies the pending migrations and writes one line to stdout:
 * `auth: applied 1 migration to mysql://…/switchboard_auth (0 already applied)`.
 *
 * @returns the exit status: 0 when the schema is current, 78 for a wrong configuration, 1 when
 *   the database could not be created or migrated (with one line on stderr saying why).
 */
export async function runMigrationCommand(options: MigrationCommandOptions): Promise<number> {
  const { service } = options;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  try {
    const config = options.loadConfig();
    const logger = createLogger({ service, level: config.LOG_LEVEL });
    const database = await openServiceDatabase(config, {
      migrationsDir: options.migrationsDir,
      logger,
    });
    await database.pool.end();
    const { applied, alreadyApplied } = database.migrations;
    stdout.write(
      `${service}: applied ${migrations(applied.length)} to ${database.where} (${alreadyApplied} already applied)\n`,
    );
    return 0;
  } catch (error) {
    const failure = entryPointFailure(error);
    if (failure === undefined) throw error;
    stderr.write(`${service}: ${failure.message}\n`);
    return failure.status;
  }
}
