// The `subscriber` table (db/auth/0001_subscriber.sql). Every statement binds its
// values as parameters. Domains are stored and matched lower-cased; usernames
// exactly. Each call is bounded in time, the wait for a pooled connection included;
// a connection failure or a deadline passing surfaces as
// SubscriberStoreUnavailableError, so callers answer "try later" without knowing MySQL.

import {
  DeadlineExceededError,
  isUnavailableError,
  UnavailableError,
  withTimeout,
} from "@switchboard/kit";
import type { Pool, ResultSetHeader, RowDataPacket } from "mysql2/promise";
import type { SecretsReader, StoredSecrets } from "./ha1-lookup.js";
import type { SubscriberSecrets } from "./subscriber-secrets.js";

/** A subscriber as listed by the admin API (no secrets). */
export interface SubscriberRecord {
  readonly username: string;
  readonly domain: string;
  readonly email: string;
  readonly createdAt: Date;
}

export class SubscriberStoreUnavailableError extends UnavailableError {
  override readonly name = "SubscriberStoreUnavailableError";
}

export class SubscriberExistsError extends Error {
  override readonly name = "SubscriberExistsError";
}

const DUPLICATE_ENTRY = "ER_DUP_ENTRY";

function errorCodeOf(error: unknown): unknown {
  return typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
}

interface SecretsRow extends RowDataPacket {
  password: string;
  ha1: string;
  ha1_sha256: string;
}

interface SubscriberRow extends RowDataPacket {
  username: string;
  domain: string;
  email_address: string;
  datetime_created: Date;
}

interface CountRow extends RowDataPacket {
  subscribers: number;
}

function recordOf(row: SubscriberRow): SubscriberRecord {
  return {
    username: row.username,
    domain: row.domain,
    email: row.email_address,
    createdAt: row.datetime_created,
  };
}

export interface SubscriberRepositoryOptions {
  /** Upper bound on one call: waiting for a connection and running the statement. */
  readonly timeoutMs: number;
}

export class SubscriberRepository implements SecretsReader {
  readonly #pool: Pool;
  readonly #timeoutMs: number;

  constructor(pool: Pool, options: SubscriberRepositoryOptions) {
    this.#pool = pool;
    this.#timeoutMs = options.timeoutMs;
  }

  async findSecrets(username: string, domain: string): Promise<StoredSecrets | undefined> {
    const rows = await this.#select<SecretsRow>(
      "SELECT password, ha1, ha1_sha256 FROM subscriber WHERE username = ? AND domain = ? LIMIT 1",
      [username, domain.toLowerCase()],
    );
    const row = rows[0];
    return row && { password: row.password, ha1: row.ha1, ha1Sha256: row.ha1_sha256 };
  }

  async find(username: string, domain: string): Promise<SubscriberRecord | undefined> {
    const rows = await this.#select<SubscriberRow>(
      "SELECT username, domain, email_address, datetime_created FROM subscriber WHERE username = ? AND domain = ? LIMIT 1",
      [username, domain.toLowerCase()],
    );
    return rows[0] && recordOf(rows[0]);
  }

  /** Every subscriber, or those of one domain, ordered by domain then username. */
  async list(domain?: string): Promise<SubscriberRecord[]> {
    const columns = "SELECT username, domain, email_address, datetime_created FROM subscriber";
    const order = "ORDER BY domain, username";
    const rows =
      domain === undefined
        ? await this.#select<SubscriberRow>(`${columns} ${order}`, [])
        : await this.#select<SubscriberRow>(`${columns} WHERE domain = ? ${order}`, [
            domain.toLowerCase(),
          ]);
    return rows.map(recordOf);
  }

  async count(): Promise<number> {
    const rows = await this.#select<CountRow>("SELECT COUNT(*) AS subscribers FROM subscriber", []);
    return Number(rows[0]?.subscribers ?? 0);
  }

  /** @throws SubscriberExistsError when (username, domain) is taken. */
  async create(
    subscriber: { username: string; domain: string; email: string },
    secrets: SubscriberSecrets,
  ): Promise<void> {
    await this.#execute<ResultSetHeader>(
      "INSERT INTO subscriber (username, domain, password, ha1, ha1b, ha1_sha256, email_address) VALUES (?, ?, ?, ?, ?, ?, ?)",
      [
        subscriber.username,
        subscriber.domain.toLowerCase(),
        secrets.password,
        secrets.ha1,
        secrets.ha1b,
        secrets.ha1Sha256,
        subscriber.email,
      ],
    );
  }

  /** @returns false when there is no such subscriber. */
  async updateSecrets(
    username: string,
    domain: string,
    secrets: SubscriberSecrets,
  ): Promise<boolean> {
    return this.#change(
      "UPDATE subscriber SET password = ?, ha1 = ?, ha1b = ?, ha1_sha256 = ? WHERE username = ? AND domain = ?",
      [
        secrets.password,
        secrets.ha1,
        secrets.ha1b,
        secrets.ha1Sha256,
        username,
        domain.toLowerCase(),
      ],
    );
  }

  /** @returns false when there is no such subscriber. */
  async delete(username: string, domain: string): Promise<boolean> {
    return this.#change("DELETE FROM subscriber WHERE username = ? AND domain = ?", [
      username,
      domain.toLowerCase(),
    ]);
  }

  async #select<Row extends RowDataPacket>(sql: string, values: string[]): Promise<Row[]> {
    return this.#execute<Row[]>(sql, values);
  }

  async #change(sql: string, values: string[]): Promise<boolean> {
    const result = await this.#execute<ResultSetHeader>(sql, values);
    return result.affectedRows > 0;
  }

  async #execute<Result extends RowDataPacket[] | ResultSetHeader>(
    sql: string,
    values: string[],
  ): Promise<Result> {
    try {
      // mysql2's own `timeout` drops a connection whose statement hangs; the deadline
      // around it also bounds the wait for a connection from the pool.
      const execution = this.#pool.execute<Result>({ sql, timeout: this.#timeoutMs }, values);
      const [result] = await withTimeout(execution, this.#timeoutMs, "subscriber store");
      return result;
    } catch (error) {
      if (errorCodeOf(error) === DUPLICATE_ENTRY) {
        throw new SubscriberExistsError("the subscriber exists", { cause: error });
      }
      if (error instanceof DeadlineExceededError || isUnavailableError(error)) {
        throw new SubscriberStoreUnavailableError("the subscriber store is unavailable", {
          cause: error,
        });
      }
      throw error;
    }
  }
}
