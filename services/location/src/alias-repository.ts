// All SQL of the `aliases` table (Kamailio alias_db's `dbaliases` layout). Every value is a
// bound parameter.

import type { Pool, ResultSetHeader, RowDataPacket } from "mysql2/promise";
import type { AorName } from "./binding.js";

export interface Alias {
  readonly alias: AorName;
  readonly target: AorName;
}

/** Thrown by {@link AliasRepository.create} when the alias is already defined. */
export class AliasExistsError extends Error {
  override name = "AliasExistsError";
  constructor(alias: AorName, options?: { cause?: unknown }) {
    super(`alias ${alias.username}@${alias.domain} already exists`, options);
  }
}

interface AliasRow extends RowDataPacket {
  alias_username: string;
  alias_domain: string;
  username: string;
  domain: string;
}

const isDuplicateKey = (error: unknown): boolean =>
  (error as { code?: unknown } | null)?.code === "ER_DUP_ENTRY";

export class AliasRepository {
  readonly #pool: Pool;
  readonly #timeoutMs: number;

  constructor(pool: Pool, timeoutMs: number) {
    this.#pool = pool;
    this.#timeoutMs = timeoutMs;
  }

  /** @throws {@link AliasExistsError} when `alias` is already defined. */
  async create({ alias, target }: Alias): Promise<void> {
    try {
      await this.#pool.query({
        sql: "INSERT INTO aliases (alias_username, alias_domain, username, domain) VALUES (?, ?, ?, ?)",
        values: [alias.username, alias.domain, target.username, target.domain],
        timeout: this.#timeoutMs,
      });
    } catch (error) {
      if (isDuplicateKey(error)) throw new AliasExistsError(alias, { cause: error });
      throw error;
    }
  }

  /** The AOR an alias stands for, or null. */
  async resolve(alias: AorName): Promise<AorName | null> {
    const [rows] = await this.#pool.query<AliasRow[]>({
      sql: "SELECT username, domain FROM aliases WHERE alias_username = ? AND alias_domain = ? LIMIT 1",
      values: [alias.username, alias.domain],
      timeout: this.#timeoutMs,
    });
    const row = rows[0];
    return row === undefined ? null : { username: row.username, domain: row.domain };
  }

  async list(): Promise<Alias[]> {
    const [rows] = await this.#pool.query<AliasRow[]>({
      sql: "SELECT alias_username, alias_domain, username, domain FROM aliases ORDER BY alias_domain, alias_username",
      timeout: this.#timeoutMs,
    });
    return rows.map((row) => ({
      alias: { username: row.alias_username, domain: row.alias_domain },
      target: { username: row.username, domain: row.domain },
    }));
  }

  /** Removes an alias; false when there was none. */
  async delete(alias: AorName): Promise<boolean> {
    const [result] = await this.#pool.query<ResultSetHeader>({
      sql: "DELETE FROM aliases WHERE alias_username = ? AND alias_domain = ?",
      values: [alias.username, alias.domain],
      timeout: this.#timeoutMs,
    });
    return result.affectedRows > 0;
  }
}
