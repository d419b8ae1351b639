// The stack's MySQL databases seen from the test: reading the location service's table
// to check what reached MySQL, and dropping every database when the stack stops.

import { type Connection, createConnection, type RowDataPacket } from "mysql2/promise";

/** One row of the location service's `location` table (the columns the tests check). */
export interface LocationRow {
  readonly username: string;
  readonly domain: string;
  readonly contact: string;
  readonly received: string | null;
  readonly expires: Date;
  readonly callid: string;
  readonly cseq: number;
}

export class StackDatabases {
  readonly #serverUrl: string;
  readonly #names: readonly string[];
  #connection: Promise<Connection> | undefined;

  /**
   * @param serverUrl - `mysql://user@host:port` without a database.
   * @param names - the databases the stack's services create; dropped by `drop`.
   */
  constructor(serverUrl: string, names: readonly string[]) {
    this.#serverUrl = serverUrl;
    this.#names = names;
  }

  #connect(): Promise<Connection> {
    this.#connection ??= createConnection({
      uri: this.#serverUrl,
      connectTimeout: 5000,
      timezone: "Z",
      charset: "utf8mb4",
    });
    return this.#connection;
  }

  /** The rows of `database`.location for one AOR, oldest first. */
  async locationRows(database: string, username: string, domain: string): Promise<LocationRow[]> {
    const connection = await this.#connect();
    const [rows] = await connection.query<RowDataPacket[]>(
      `SELECT username, domain, contact, received, expires, callid, cseq
         FROM \`${database}\`.location WHERE username = ? AND domain = ? ORDER BY id`,
      [username, domain],
    );
    return rows as LocationRow[];
  }

  /** Drops every database of the stack and closes the connection. */
  async drop(): Promise<void> {
    const connection = await this.#connect();
    try {
      for (const name of this.#names) await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
    } finally {
      await connection.end();
      this.#connection = undefined;
    }
  }
}
