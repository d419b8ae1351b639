// Transactions on one pooled connection, optionally under a MySQL named lock.

import type { Pool, PoolConnection, RowDataPacket } from "mysql2/promise";

/** Thrown when a named lock was not granted within its wait. */
export class LockWaitTimeoutError extends Error {
  override name = "LockWaitTimeoutError";
}

export interface TransactionOptions {
  /** Bound on each statement; a connection that exceeds it is dropped. */
  readonly timeoutMs: number;
  /** READ COMMITTED takes no gap locks, so concurrent inserts cannot deadlock on them. */
  readonly readCommitted?: boolean;
  /**
   * Parts of a named lock held around the transaction (GET_LOCK). The name is derived on the
   * server from the current database and these parts, so it is unique per database and fits
   * MySQL's 64-character limit.
   */
  readonly lock?: readonly string[];
}

async function takeLock(connection: PoolConnection, parts: readonly string[], timeoutMs: number) {
  const name = `CONCAT('sb_location_', SHA1(CONCAT_WS(0x00, DATABASE(), ${parts.map(() => "?").join(", ")})))`;
  const [rows] = await connection.query<RowDataPacket[]>({
    sql: `SELECT GET_LOCK(${name}, ?) AS granted`,
    values: [...parts, Math.max(1, Math.ceil(timeoutMs / 1000))],
    timeout: timeoutMs + 1000,
  });
  if (rows[0]?.granted !== 1)
    throw new LockWaitTimeoutError("a named lock was not granted in time");
  return name;
}

/**
 * Runs `work` in a transaction on one pooled connection: committed when it resolves, rolled
 * back when it rejects. With `lock`, the named lock is held from before the transaction
 * starts until after it ends; a connection that may still hold it is closed, not pooled.
 */
export async function inTransaction<T>(
  pool: Pool,
  options: TransactionOptions,
  work: (connection: PoolConnection) => Promise<T>,
): Promise<T> {
  const { timeoutMs } = options;
  const connection = await pool.getConnection();
  let lockName: string | undefined;
  let reusable = true;
  try {
    if (options.lock !== undefined) lockName = await takeLock(connection, options.lock, timeoutMs);
    if (options.readCommitted) {
      await connection.query({
        sql: "SET TRANSACTION ISOLATION LEVEL READ COMMITTED",
        timeout: timeoutMs,
      });
    }
    await connection.query({ sql: "START TRANSACTION", timeout: timeoutMs });
    try {
      const result = await work(connection);
      await connection.query({ sql: "COMMIT", timeout: timeoutMs });
      return result;
    } catch (error) {
      await connection.query({ sql: "ROLLBACK", timeout: timeoutMs }).catch(() => {});
      throw error;
    }
  } finally {
    if (lockName !== undefined) {
      await connection
        .query({
          sql: `SELECT RELEASE_LOCK(${lockName})`,
          values: [...(options.lock ?? [])],
          timeout: timeoutMs,
        })
        .catch(() => {
          reusable = false;
        });
    }
    if (reusable) connection.release();
    else connection.destroy();
  }
}
