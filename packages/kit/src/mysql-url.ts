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
  if (!DATABASE_NAME.test(database)) {
    throw new InvalidMysqlUrlError(
      "the path must name a database of letters, digits and _ (at most 64 characters)",
    );
  }
  return database;
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
