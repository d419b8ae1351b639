// The start steps every service shares, each failing with one StartupError that names the
// step and the reason: its database (created in development, then migrated), NATS, the HTTP
// port.

import type { FastifyInstance } from "fastify";
import { databaseUrl, type MysqlConfig } from "./config-mysql.js";
import type { Logger } from "./logger.js";
import { type MigrateResult, migrate } from "./migrate.js";
import { createMysqlPool, ensureDatabase, type Pool } from "./mysql.js";
import { redactUrlPasswords } from "./mysql-url.js";
import { connectNats, type NatsConnection } from "./nats.js";
import { withTimeout } from "./timeout.js";

/** A service could not start: a dependency is unreachable, or the schema could not be applied. */
export class StartupError extends Error {
  override name = "StartupError";
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // mysql2 reports a refused connection as an AggregateError with an empty message.
  const { code } = error as { code?: unknown };
  return error.message || (typeof code === "string" ? code : error.name);
}

/**
 * Runs `work`; when it fails, throws a {@link StartupError} `"<what>: <reason>"`, with passwords
 * in URLs replaced by `***` and the original error as `cause`.
 */
export async function startStep<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new StartupError(`${what}: ${redactUrlPasswords(reasonOf(error))}`, { cause: error });
  }
}

/** What {@link openServiceDatabase} reads from the configuration. */
export type ServiceDatabaseConfig = MysqlConfig & { readonly NODE_ENV: string };

export interface ServiceDatabase {
  /** A pool on the service's database, connections bounded by MYSQL_TIMEOUT_MS. */
  readonly pool: Pool;
  /** The database's URL with its password as `***`, for messages. */
  readonly where: string;
  readonly migrations: MigrateResult;
}

/**
 * Opens the service's database ({@link databaseUrl}): creates it unless NODE_ENV is
 * `production` (where it must exist and the service's user may lack the privilege), then
 * applies the migrations of `migrationsDir`. On failure the pool is closed.
 *
 * @throws {@link StartupError} "cannot create the database at …" or "cannot apply migrations
 *   to …".
 */
export async function openServiceDatabase(
  config: ServiceDatabaseConfig,
  options: { readonly migrationsDir: string; readonly logger: Logger },
): Promise<ServiceDatabase> {
  const url = databaseUrl(config);
  const where = redactUrlPasswords(url);
  if (config.NODE_ENV !== "production") {
    await startStep(`cannot create the database at ${where}`, () => ensureDatabase(url));
  }
  const pool = createMysqlPool(url, { connectTimeoutMs: config.MYSQL_TIMEOUT_MS });
  try {
    const migrations = await startStep(`cannot apply migrations to ${where}`, () =>
      migrate(pool, options.migrationsDir, { logger: options.logger }),
    );
    return { pool, where, migrations };
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
}

/**
 * {@link connectNats} to NATS_URL, bounded by `timeoutMs` (default 10 000 ms).
 * @throws {@link StartupError} "cannot reach NATS at …".
 */
export function connectServiceNats(
  config: { readonly NATS_URL: readonly string[] },
  options: { readonly name: string; readonly logger: Logger; readonly timeoutMs?: number },
): Promise<NatsConnection> {
  const servers = config.NATS_URL;
  return startStep(`cannot reach NATS at ${redactUrlPasswords(servers.join(","))}`, () =>
    withTimeout(
      connectNats({ servers, name: options.name, logger: options.logger }),
      options.timeoutMs ?? 10_000,
      "connecting",
    ),
  );
}

/**
 * Listens on HTTP_HOST:HTTP_PORT (port 0: any free one) and returns the base URL,
 * e.g. `http://0.0.0.0:8081`, with the port actually taken.
 * @throws {@link StartupError} "cannot listen on …".
 */
export async function listenHttp(
  app: FastifyInstance,
  config: { readonly HTTP_HOST: string; readonly HTTP_PORT: number },
): Promise<string> {
  const { HTTP_HOST: host, HTTP_PORT: port } = config;
  await startStep(`cannot listen on ${host}:${port}`, () => app.listen({ host, port }));
  const address = app.server.address();
  const actualPort = typeof address === "object" && address !== null ? address.port : port;
  return `http://${host.includes(":") ? `[${host}]` : host}:${actualPort}`;
}
