// MySQL connection URLs: mysql://user:password@host:port/database

// Database names are restricted to what needs no quoting anywhere (CREATE DATABASE,
// GET_LOCK names, log lines): letters, digits and "_", at most 64 characters.
const DATABASE_NAME = /^[A-Za-z0-9_]{1,64}$/;

/** Thrown when a MySQL URL is not `mysql://…/<database>` with a plain database name. */
export class InvalidMysqlUrlError extends Error {
  override name = "InvalidMysqlUrlError";
}

/**
 * The database named by a `mysql://` URL.
 * @throws {@link InvalidMysqlUrlError} when the URL does not parse, is not mysql://, or names
 *   no database or one with characters other than letters, digits and "_".
 */
export function databaseOf(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new InvalidMysqlUrlError("not a URL", { cause: error });
  }
  if (parsed.protocol !== "mysql:") throw new InvalidMysqlUrlError("not a mysql:// URL");
  const database = decodeURIComponent(parsed.pathname.slice(1));
  if (!isDatabaseName(database)) {
    throw new InvalidMysqlUrlError(
      "the path must name a database of letters, digits and _ (at most 64 characters)",
    );
  }
  return database;
}

/** True for a database name that needs no quoting: letters, digits and "_", at most 64. */
export function isDatabaseName(name: string): boolean {
  return DATABASE_NAME.test(name);
}

/**
 * True for a `mysql://` URL of a server, with or without a database in its path (a path other
 * than empty or `/` must be a plain database name).
 */
export function isMysqlServerUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "mysql:" || parsed.hostname === "") return false;
    const path = decodeURIComponent(parsed.pathname);
    return path === "" || path === "/" || isDatabaseName(path.slice(1));
  } catch {
    return false;
  }
}

/** `url`, or, when its path names no database, `url` with `database` as its path. */
export function withDefaultDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  if (parsed.pathname === "" || parsed.pathname === "/") parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** The same URL without its database, for admin statements such as CREATE DATABASE. */
export function serverUrlOf(url: string): string {
  databaseOf(url);
  const parsed = new URL(url);
  parsed.pathname = "/";
  return parsed.toString();
}

/** `text` with the password of every URL in it replaced by `***`, fit for logs and errors. */
export function redactUrlPasswords(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, "$1***@");
}
