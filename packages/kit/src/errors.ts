// Telling "a dependency is down, try later" apart from "a bug".

import { RpcNoRespondersError, RpcTimeoutError, RpcTransportError } from "./rpc-errors.js";

/** Throw it (with the underlying error as `cause`) when a dependency is unavailable. */
export class UnavailableError extends Error {
  override name = "UnavailableError";
}

// Node socket errors and MySQL errors where a retry later may succeed.
const TRANSIENT_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "ER_CON_COUNT_ERROR",
  "ER_SERVER_SHUTDOWN",
  "ER_LOCK_DEADLOCK",
  "ER_LOCK_WAIT_TIMEOUT",
]);

/**
 * True when `error`, or an error in its `cause` chain, says a dependency is unavailable
 * rather than that the code is wrong: an {@link UnavailableError}, a NATS request that got no
 * answer, a socket error, or a fatal (connection-level) MySQL error.
 */
export function isUnavailableError(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 8; depth++) {
    if (
      current instanceof UnavailableError ||
      current instanceof RpcTimeoutError ||
      current instanceof RpcNoRespondersError ||
      current instanceof RpcTransportError
    ) {
      return true;
    }
    const { code, fatal } = current as { code?: unknown; fatal?: unknown };
    if (fatal === true || (typeof code === "string" && TRANSIENT_CODES.has(code))) return true;
    current = current.cause;
  }
  return false;
}
