// All SQL of the `location` table. Knows rows and columns, nothing of SIP: the registrar
// hands it bindings to write and gets bindings back. Every value is a bound parameter.

import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from "mysql2/promise";
import type { AorName, StoredBinding } from "./binding.js";
import { inTransaction } from "./mysql-transaction.js";

/** A binding with the AOR it belongs to. */
export interface AorBinding {
  readonly aor: AorName;
  readonly binding: StoredBinding;
}

/** Rows to write in one transaction: bindings to insert or update, ruids to delete. */
export interface BindingWrites {
  readonly upserts: readonly AorBinding[];
  readonly removals: readonly string[];
}

type Queryable = Pool | PoolConnection;

const COLUMNS =
  "ruid, username, domain, contact, received, path, UNIX_TIMESTAMP(expires) AS expires_s, " +
  "q, callid, cseq, UNIX_TIMESTAMP(last_modified) AS modified_s, user_agent, socket, instance, reg_id";

const INSERT_COLUMNS =
  "(ruid, username, domain, contact, received, path, expires, q, callid, cseq, last_modified, " +
  "user_agent, socket, instance, reg_id)";
const INSERT_ROW = "(?, ?, ?, ?, ?, ?, FROM_UNIXTIME(?), ?, ?, ?, FROM_UNIXTIME(?), ?, ?, ?, ?)";
const ON_DUPLICATE =
  " ON DUPLICATE KEY UPDATE contact = VALUES(contact), received = VALUES(received), " +
  "path = VALUES(path), expires = VALUES(expires), q = VALUES(q), callid = VALUES(callid), " +
  "cseq = VALUES(cseq), last_modified = VALUES(last_modified), " +
  "user_agent = VALUES(user_agent), socket = VALUES(socket), instance = VALUES(instance), " +
  "reg_id = VALUES(reg_id)";

// Rows per statement: keeps packets well below max_allowed_packet.
const CHUNK = 500;

interface LocationRow extends RowDataPacket {
  ruid: string;
  username: string;
  domain: string;
  contact: string;
  received: string | null;
  path: string | null;
  expires_s: string | number;
  q: string | number;
  callid: string;
  cseq: number;
  modified_s: string | number;
  user_agent: string;
  socket: string | null;
  instance: string | null;
  reg_id: number;
}

// Kamailio stores Path as the header value: comma-separated name-addrs.
function pathColumn(path: readonly string[] | null): string | null {
  if (path === null) return null;
  return path.map((uri) => (uri.startsWith("<") ? uri : `<${uri}>`)).join(",");
}

function pathFromColumn(column: string | null): string[] | null {
  if (column === null || column === "") return null;
  const uris = [...column.matchAll(/<([^>]*)>/g)].map((match) => match[1] ?? "");
  return uris.length > 0 ? uris : [column];
}

// DATETIME holds whole seconds: an expiry is rounded up so it is never stored earlier.
const toSeconds = (ms: number): number => Math.ceil(ms / 1000);

function rowValues(aor: AorName, binding: StoredBinding): unknown[] {
  return [
    binding.ruid,
    aor.username,
    aor.domain,
    binding.contact,
    binding.received,
    pathColumn(binding.path),
    toSeconds(binding.expiresAt),
    binding.q,
    binding.callId,
    binding.cseq,
    Math.floor(binding.lastModified / 1000),
    binding.userAgent ?? "",
    binding.socket,
    binding.instance,
    binding.regId ?? 0,
  ];
}

function bindingOf(row: LocationRow): StoredBinding {
  return {
    ruid: row.ruid,
    contact: row.contact,
    expiresAt: Number(row.expires_s) * 1000,
    q: Number(row.q),
    callId: row.callid,
    cseq: row.cseq,
    received: row.received,
    path: pathFromColumn(row.path),
    userAgent: row.user_agent === "" ? null : row.user_agent,
    socket: row.socket,
    instance: row.instance,
    regId: row.reg_id === 0 ? null : row.reg_id,
    lastModified: Number(row.modified_s) * 1000,
  };
}

function chunks<T>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) result.push(items.slice(i, i + CHUNK));
  return result;
}

export class LocationRepository {
  readonly #pool: Pool;
  readonly #timeoutMs: number;

  /** @param timeoutMs - bound on every statement; a connection that exceeds it is dropped. */
  constructor(pool: Pool, timeoutMs: number) {
    this.#pool = pool;
    this.#timeoutMs = timeoutMs;
  }

  async #rows(db: Queryable, sql: string, values: unknown[]): Promise<LocationRow[]> {
    const [rows] = await db.query<LocationRow[]>({ sql, values, timeout: this.#timeoutMs });
    return rows;
  }

  async #execute(db: Queryable, sql: string, values: unknown[]): Promise<number> {
    const [result] = await db.query<ResultSetHeader>({
      sql,
      values,
      timeout: this.#timeoutMs,
    });
    return result.affectedRows;
  }

  /** Every binding not expired at `now`, read in pages (a restart loads the whole table). */
  async *liveBindings(now: number, pageSize = 5000): AsyncGenerator<AorBinding[]> {
    let afterId = 0;
    for (;;) {
      const rows = await this.#rows(
        this.#pool,
        `SELECT id, ${COLUMNS} FROM location WHERE expires > FROM_UNIXTIME(?) AND id > ? ORDER BY id LIMIT ?`,
        [Math.floor(now / 1000), afterId, pageSize],
      );
      if (rows.length === 0) return;
      afterId = Number(rows[rows.length - 1]?.id);
      yield rows.map((row) => ({
        aor: { username: row.username, domain: row.domain },
        binding: bindingOf(row),
      }));
    }
  }

  /** The stored bindings of one AOR, expired ones included (on `connection` when given). */
  async bindingsOf(aor: AorName, connection?: PoolConnection): Promise<StoredBinding[]> {
    const rows = await this.#rows(
      connection ?? this.#pool,
      `SELECT ${COLUMNS} FROM location WHERE username = ? AND domain = ? ORDER BY id`,
      [aor.username, aor.domain],
    );
    return rows.map(bindingOf);
  }

  /** Applies `writes` atomically: all of it or none. */
  async applyWrites(writes: BindingWrites): Promise<void> {
    // One statement is atomic by itself (autocommit): it needs no BEGIN and COMMIT round
    // trips, which at low rates are most of a commit's cost.
    if (writes.removals.length === 0 && writes.upserts.length <= CHUNK) {
      if (writes.upserts.length > 0) await this.#upsert(this.#pool, writes.upserts);
      return;
    }
    await this.transaction((connection) => this.write(connection, writes));
  }

  /** Writes on a connection the caller holds in a transaction. */
  async write(connection: PoolConnection, writes: BindingWrites): Promise<void> {
    for (const ruids of chunks(writes.removals)) {
      await this.#execute(
        connection,
        `DELETE FROM location WHERE ruid IN (${ruids.map(() => "?").join(",")})`,
        ruids,
      );
    }
    for (const chunk of chunks(writes.upserts)) await this.#upsert(connection, chunk);
  }

  /** One INSERT … ON DUPLICATE KEY UPDATE of at most CHUNK bindings. */
  async #upsert(db: Queryable, upserts: readonly AorBinding[]): Promise<void> {
    await this.#execute(
      db,
      `INSERT INTO location ${INSERT_COLUMNS} VALUES ${upserts.map(() => INSERT_ROW).join(",")}${ON_DUPLICATE}`,
      upserts.flatMap((upsert) => rowValues(upsert.aor, upsert.binding)),
    );
  }

  /** Runs `work` in a transaction on one pooled connection, committing when it resolves. */
  transaction<T>(work: (connection: PoolConnection) => Promise<T>): Promise<T> {
    return inTransaction(this.#pool, { timeoutMs: this.#timeoutMs }, work);
  }

  /**
   * Runs `work` in a READ COMMITTED transaction holding the AOR's named lock: writers of one
   * AOR take turns whichever instance they run in, and, taking no row or gap locks on
   * other AORs' rows, writers of different AORs never deadlock.
   */
  transactionOnAor<T>(aor: AorName, work: (connection: PoolConnection) => Promise<T>): Promise<T> {
    const options = {
      timeoutMs: this.#timeoutMs,
      readCommitted: true,
      lock: [aor.domain, aor.username],
    };
    return inTransaction(this.#pool, options, work);
  }

  /** Deletes the bindings expired at `now`; returns how many. */
  async deleteExpired(now: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const count = await this.#execute(
        this.#pool,
        "DELETE FROM location WHERE expires <= FROM_UNIXTIME(?) LIMIT 5000",
        [Math.floor(now / 1000)],
      );
      deleted += count;
      if (count < 5000) return deleted;
    }
  }

  /** Deletes every binding of an AOR; returns how many. */
  async deleteAor(aor: AorName, connection?: PoolConnection): Promise<number> {
    return this.#execute(
      connection ?? this.#pool,
      "DELETE FROM location WHERE username = ? AND domain = ?",
      [aor.username, aor.domain],
    );
  }

  /** The number of unexpired bindings and of AORs that have some. */
  async countLive(now: number): Promise<{ contacts: number; aors: number }> {
    const [row] = await this.#rows(
      this.#pool,
      "SELECT COUNT(*) AS contacts, COUNT(DISTINCT username, domain) AS aors FROM location WHERE expires > FROM_UNIXTIME(?)",
      [Math.floor(now / 1000)],
    );
    return { contacts: Number(row?.contacts ?? 0), aors: Number(row?.aors ?? 0) };
  }

  /** Every AOR with its number of unexpired bindings. */
  async countsByAor(now: number): Promise<{ aor: AorName; contacts: number }[]> {
    const rows = await this.#rows(
      this.#pool,
      "SELECT username, domain, COUNT(*) AS contacts FROM location WHERE expires > FROM_UNIXTIME(?) GROUP BY username, domain ORDER BY domain, username",
      [Math.floor(now / 1000)],
    );
    return rows.map((row) => ({
      aor: { username: row.username, domain: row.domain },
      contacts: Number(row.contacts),
    }));
  }
}
