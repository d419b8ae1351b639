// Applying SQL migrations at service start, once per database, even when several
// instances start at the same time.

import { createHash } from "node:crypto";
import type { PoolConnection, RowDataPacket } from "mysql2/promise";
import type { Logger } from "./logger.js";
import { type Migration, MigrationError, readMigrations } from "./migration-files.js";
import type { Pool } from "./mysql.js";

/** An applied migration's file changed since it was applied. */
export class MigrationChecksumError extends MigrationError {
  override name = "MigrationChecksumError";
  constructor(readonly migration: Migration) {
    super(
      `migration ${migration.file} was changed after it was applied (checksum differs); add a new migration instead`,
    );
  }
}

/**
 * The database records a different migration under one of our versions: it holds another
 * service's (or another program's) tables, e.g. two services pointed at one database.
 */
export class ForeignMigrationError extends MigrationError {
  override name = "ForeignMigrationError";
  constructor(
    readonly migration: Migration,
    readonly appliedName: string,
    database: string,
  ) {
    super(
      `database ${database} records migration ${migration.version} as "${appliedName}", not as ${migration.file}: ` +
        "it holds another service's tables; give each service a database of its own",
    );
  }
}

/** Another instance held the migration lock for longer than the timeout. */
export class MigrationLockError extends MigrationError {
  override name = "MigrationLockError";
}

export interface MigrateOptions {
  readonly logger: Logger;
  /** How long to wait for another instance's migration run; default 60 s. */
  readonly lockTimeoutSeconds?: number;
}

export interface MigrateResult {
  /** The migrations this run applied, in order. */
  readonly applied: readonly Pick<Migration, "version" | "name">[];
  /** How many were applied before. */
  readonly alreadyApplied: number;
}

// Both MySQL 8 and MariaDB 10.11 accept this table definition.
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INT UNSIGNED NOT NULL PRIMARY KEY,
  name VARCHAR(255) NOT NULL,
  checksum CHAR(64) NOT NULL,
  applied_at DATETIME(3) NOT NULL
)`;

interface AppliedRow extends RowDataPacket {
  version: number;
  name: string;
  checksum: string;
}

function lockName(database: string): string {
  // MySQL limits user lock names to 64 characters.
  const name = `switchboard_migrate_${database}`;
  return name.length <= 64
    ? name
    : `switchboard_migrate_${createHash("sha256").update(database).digest("hex").slice(0, 40)}`;
}

async function applyMigration(connection: PoolConnection, migration: Migration): Promise<void> {
  for (const [index, statement] of migration.statements.entries()) {
    try {
      await connection.query(statement);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new MigrationError(
        `migration ${migration.file} failed at statement ${index + 1}: ${reason}`,
        { cause: error },
      );
    }
  }
  await connection.execute(
    "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, UTC_TIMESTAMP(3))",
    [migration.version, migration.name, migration.checksum],
  );
}

async function migrateLocked(
  connection: PoolConnection,
  database: string,
  migrations: readonly Migration[],
  logger: Logger,
): Promise<MigrateResult> {
  await connection.query(CREATE_TABLE);
  const [rows] = await connection.query<AppliedRow[]>(
    "SELECT version, name, checksum FROM schema_migrations",
  );
  const applied = new Map(rows.map((row) => [Number(row.version), row]));
  for (const migration of migrations) {
    const row = applied.get(migration.version);
    if (row === undefined) continue;
    if (row.name !== migration.name) throw new ForeignMigrationError(migration, row.name, database);
    if (row.checksum !== migration.checksum) throw new MigrationChecksumError(migration);
  }
  const known = new Set(migrations.map((migration) => migration.version));
  const unknown = [...applied.keys()].filter((version) => !known.has(version));
  if (unknown.length > 0) {
    // A newer release applied these; this (older) code runs on during a rolling update.
    logger.warn({ versions: unknown }, "database has migrations this release does not know");
  }
  const pending = migrations.filter((migration) => !applied.has(migration.version));
  for (const migration of pending) {
    await applyMigration(connection, migration);
    logger.info({ version: migration.version, name: migration.name }, "applied migration");
  }
  return {
    applied: pending.map(({ version, name }) => ({ version, name })),
    alreadyApplied: migrations.length - pending.length,
  };
}

/**
 * Applies the migrations of `dir` (files `NNNN_name.sql`, see `splitStatements`) that the
 * database has not seen, in version order, recording each in `schema_migrations` (version,
 * name, checksum, applied_at). Running it again is a no-op.
 *
 * Several instances may start at once: a named lock (`GET_LOCK`) makes them take turns, so
 * each migration is applied exactly once. MySQL commits DDL statements one by one, so a
 * migration that fails half-way is not rolled back: keep one DDL statement per migration, or
 * make the statements safe to repeat.
 *
 * @throws {@link MigrationChecksumError} an applied migration's file changed (nothing applied);
 * @throws {@link ForeignMigrationError} the database records other migrations under our
 *   versions: another service's database (nothing applied);
 * @throws {@link MigrationLockError} the lock was not obtained within `lockTimeoutSeconds`;
 * @throws {@link MigrationError} a badly named file, or a statement failed (the migration is
 *   not recorded; the message names the file and statement).
 */
export async function migrate(
  pool: Pool,
  dir: string,
  options: MigrateOptions,
): Promise<MigrateResult> {
  const migrations = await readMigrations(dir);
  // GET_LOCK belongs to the session: take it, and migrate, on one dedicated connection.
  const connection = await pool.getConnection();
  let lockReleased = true;
  try {
    const [[current]] = await connection.query<RowDataPacket[]>("SELECT DATABASE() AS name");
    const database = String(current?.name);
    const lock = lockName(database);
    const timeout = options.lockTimeoutSeconds ?? 60;
    const [[granted]] = await connection.query<RowDataPacket[]>("SELECT GET_LOCK(?, ?) AS ok", [
      lock,
      timeout,
    ]);
    if (granted?.ok !== 1) {
      throw new MigrationLockError(`could not take the migration lock ${lock} within ${timeout} s`);
    }
    lockReleased = false;
    try {
      return await migrateLocked(connection, database, migrations, options.logger);
    } finally {
      await connection.query("SELECT RELEASE_LOCK(?)", [lock]).then(
        () => {
          lockReleased = true;
        },
        (error: unknown) =>
          options.logger.warn({ err: error }, "could not release the migration lock"),
      );
    }
  } finally {
    // A session that may still hold the lock is closed, which releases it, rather than pooled.
    if (lockReleased) connection.release();
    else connection.destroy();
  }
}
