// Classifies MySQL errors: a lost or refused connection (retry later) versus a statement
// MySQL refused (this data will never go in).

import { StorageUnavailableError } from "./persistence.js";

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "ER_CON_COUNT_ERROR",
  "ER_SERVER_SHUTDOWN",
]);

/** True when the error says MySQL could not be reached, not that it refused the statement. */
export function isConnectionFailure(error: unknown): boolean {
  const failure = error as { fatal?: unknown; code?: unknown } | null;
  return failure?.fatal === true || CONNECTION_CODES.has(String(failure?.code));
}

/** Wraps any MySQL failure so callers can answer "unavailable" without knowing MySQL. */
export function storageFailure(message: string, cause: unknown): StorageUnavailableError {
  return cause instanceof StorageUnavailableError
    ? cause
    : new StorageUnavailableError(message, { cause });
}
