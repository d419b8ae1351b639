// MySQL (or MariaDB) access: a pool per service, readiness, and creating databases.

import { type Connection, createConnection, createPool, type Pool } from "mysql2/promise";
import type { ReadinessCheck } from "./http.js";
import { databaseOf, serverUrlOf } from "./mysql-url.js";

export type { Pool };

export interface MysqlPoolOptions {
  /** Connections kept at most; default 10. */
  readonly connectionLimit?: number;
  /** How long opening a connection may take; default 5000 ms. */
  readonly connectTimeoutMs?: number;
}

/**
 * A connection pool for `url` (`mysql://user:password@host:port/database`). Use
 * `pool.execute(sql, params)` (server-side prepared statements, cached per connection) for
 * queries with values; `pool.query` only for statements that cannot be prepared (DDL).
 *
 * Sessions use UTC (`timezone: "Z"`) and utf8mb4. Connections are opened on demand: creating
 * the pool never fails because the server is down, the first query does (with a socket error
 * code such as ECONNREFUSED, which `isUnavailableError` recognises).
 */
export function createMysqlPool(url: string, options: MysqlPoolOptions = {}): Pool {
  databaseOf(url);
  return createPool({
    uri: url,
    connectionLimit: options.connectionLimit ?? 10,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    waitForConnections: true,
    enableKeepAlive: true,
    timezone: "Z",
    charset: "utf8mb4",
  });
}

/** Readiness: a pooled connection answers a ping. */
export function mysqlReadinessCheck(pool: Pool): ReadinessCheck {
  return {
    name: "mysql",
    async check() {
      const connection = await pool.getConnection();
      try {
        await connection.ping();
      } finally {
        connection.release();
      }
    },
  };
}

async function withServerConnection<T>(
  url: string,
  work: (c: Connection) => Promise<T>,
): Promise<T> {
  const connection = await createConnection({ uri: serverUrlOf(url), connectTimeout: 5000 });
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

/**
 * Creates the database `url` names unless it exists (utf8mb4, utf8mb4_unicode_ci: a
 * collation both MySQL 8 and MariaDB have). Needs the CREATE privilege; meant for tests and
 * development, where the URL's user is an administrator.
 */
export async function ensureDatabase(url: string): Promise<void> {
  const database = databaseOf(url);
  await withServerConnection(url, (connection) =>
    connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    ),
  );
}

/** Drops the database `url` names, if it exists (tests clean up with it). */
export async function dropDatabase(url: string): Promise<void> {
  const database = databaseOf(url);
  await withServerConnection(url, (connection) =>
    connection.query(`DROP DATABASE IF EXISTS \`${database}\``),
  );
}
