// What the NATS responders and the admin API need from the binding store, whatever the
// persistence mode behind it.

import type { AorName, StoredBinding } from "./binding.js";
import type { RegisterRefusal, RegisterRequest } from "./registrar.js";

/** The bindings after a REGISTER, or why it was refused. */
export type SaveResult =
  | { readonly ok: true; readonly bindings: readonly StoredBinding[] }
  | RegisterRefusal;

export interface AorSummary {
  readonly aor: AorName;
  /** Number of unexpired bindings. */
  readonly contacts: number;
}

export interface StoreCounts {
  readonly contacts: number;
  readonly aors: number;
}

/**
 * The bindings of every AOR. Domains are matched case-insensitively (the store lower-cases
 * them), user names exactly. Methods that need MySQL reject with StorageUnavailableError when
 * it fails.
 */
export interface LocationStore {
  /** Applies a REGISTER (RFC 3261 §10.3): all of it or, when refused, nothing. */
  save(aor: AorName, request: RegisterRequest): Promise<SaveResult>;
  /** The unexpired bindings in the order to try them (q descending, newest first). */
  lookup(aor: AorName): Promise<StoredBinding[]>;
  /** Every AOR with unexpired bindings. */
  summaries(): Promise<AorSummary[]>;
  /** Removes every binding of an AOR; false when it had none. */
  removeAor(aor: AorName): Promise<boolean>;
  /** Removes the expired bindings; returns how many it removed. */
  sweep(): Promise<number>;
  counts(): Promise<StoreCounts>;
  /** Seconds since the oldest change not yet in MySQL. */
  lagSeconds(): number;
  /** Waits for the saves in progress, writes what is unwritten, stops background work. */
  close(): Promise<void>;
}
