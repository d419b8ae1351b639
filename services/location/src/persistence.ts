// How a memory-backed location store makes its changes durable (usrloc's db_mode).

import { UnavailableError } from "@switchboard/kit";
import type { AorName } from "./binding.js";
import type { AorBinding, BindingWrites } from "./location-repository.js";
import type { RegisterChanges } from "./registrar.js";

export interface Persistence {
  /**
   * Makes one save's changes as durable as the mode promises. The store answers the REGISTER
   * and updates its memory only after this resolves; a rejection leaves both untouched.
   */
  persist(aor: AorName, changes: RegisterChanges): Promise<void>;
  /** Writes whatever is not yet written (write-back); resolves at once for the other modes. */
  flush(): Promise<void>;
  /** Seconds since the oldest change not yet in MySQL, 0 when none. */
  lagSeconds(): number;
  /** Flushes and stops the background work. */
  close(): Promise<void>;
}

/**
 * Thrown when MySQL cannot take or give bindings (down, unreachable, or too slow); the
 * responders answer it with the `unavailable` error reply.
 */
export class StorageUnavailableError extends UnavailableError {
  override name = "StorageUnavailableError";
}

/** What the persistence reports about its writes to MySQL (for metrics). */
export interface FlushObserver {
  /** A batch of changes was committed in `seconds`. */
  flushed(seconds: number): void;
  /** A batch of changes could not be committed. */
  flushFailed(error: unknown): void;
}

/** The rows one save of `aor` writes. */
export function writesOf(aor: AorName, changes: RegisterChanges): BindingWrites {
  return {
    upserts: changes.upserts.map((binding): AorBinding => ({ aor, binding })),
    removals: changes.removals,
  };
}

/** Several saves' rows as one write (their ruids are distinct: one save per AOR at a time). */
export function mergeWrites(writes: readonly BindingWrites[]): BindingWrites {
  return {
    upserts: writes.flatMap((write) => write.upserts),
    removals: writes.flatMap((write) => write.removals),
  };
}
