// MYSQL_URL, MYSQL_DATABASE and MYSQL_TIMEOUT_MS for a service that owns a database.

import type { ConfigOf, ConfigSpec } from "./config.js";
import { envValue } from "./config-values.js";
import { withDefaultDatabase } from "./mysql-url.js";

export interface MysqlConfigOptions {
  /** The default of MYSQL_TIMEOUT_MS; 1000 ms unless given. */
  readonly timeoutMs?: number;
}

/**
 * The MySQL variables of a service: the server (whose URL may name the database), the
 * database used when it names none, and how long to wait for MySQL.
 *
 * @param defaultDatabase - the default of MYSQL_DATABASE, e.g. `"switchboard_auth"`.
 */
export function mysqlConfig(defaultDatabase: string, options: MysqlConfigOptions = {}) {
  return {
    MYSQL_URL: {
      schema: envValue.mysqlUrl(),
      default: "mysql://root@127.0.0.1:3306",
      description:
        "MySQL (or MariaDB) server and credentials; a path, when present, names the database.",
    },
    MYSQL_DATABASE: {
      schema: envValue.mysqlDatabase(),
      default: defaultDatabase,
      description: "The service's database, used when MYSQL_URL names none.",
    },
    MYSQL_TIMEOUT_MS: {
      schema: envValue.integer(50, 60_000),
      default: String(options.timeoutMs ?? 1000),
      description:
        "Longest wait for MySQL (connecting or one statement) before answering `unavailable`; keep it below the callers' request timeout.",
    },
  } satisfies ConfigSpec;
}

/** The typed values of {@link mysqlConfig}. */
export type MysqlConfig = ConfigOf<ReturnType<typeof mysqlConfig>>;

/** The URL of the service's database: MYSQL_URL when its path names one, else MYSQL_DATABASE. */
export function databaseUrl(config: Pick<MysqlConfig, "MYSQL_URL" | "MYSQL_DATABASE">): string {
  return withDefaultDatabase(config.MYSQL_URL, config.MYSQL_DATABASE);
}
