// Replay protection for qop responses: RFC 7616 §3.4 (RFC 2617 §3.2.2) — the server
// remembers the highest nonce-count it accepted for each nonce and refuses a response
// whose nc is not greater. Memory is bounded: entries are swept, oldest first, once
// their nonce has expired (an expired nonce is refused as stale before this tracker
// is asked) and, when the tracker is full, the oldest is evicted. An evicted nonce is not forgotten silently: every nonce
// issued no later than the newest evicted one, and no longer tracked, is answered
// as stale, so the client is challenged again instead of a replay getting through.
//
// The state is per process. Behind a load balancer that spreads one client's
// requests over several instances, each instance tracks its own highest count.

import type { Clock } from "@switchboard/kit";

/** What to do with a response, as far as its nonce-count is concerned. */
export type NonceCountVerdict = "fresh" | "nonce-reused" | "stale-nonce";

interface Entry {
  highestCount: number;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export interface NonceCountTrackerOptions {
  readonly maxEntries: number;
  readonly clock: Clock;
}

/** A nonce as the tracker sees it: its text and the times the nonce check returned. */
export interface TrackedNonce {
  readonly nonce: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export class NonceCountTracker {
  readonly #maxEntries: number;
  readonly #clock: Clock;
  /** Insertion order is first-use order, so the oldest entries come first. */
  readonly #entries = new Map<string, Entry>();
  /** Untracked nonces issued at or before this time are refused (see the file comment). */
  #forgottenUpTo = Number.NEGATIVE_INFINITY;

  constructor(options: NonceCountTrackerOptions) {
    if (!(options.maxEntries >= 1)) throw new RangeError("maxEntries must be at least 1");
    this.#maxEntries = options.maxEntries;
    this.#clock = options.clock;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Whether `count` would be accepted for `nonce`; changes nothing. */
  check(nonce: TrackedNonce, count: number): NonceCountVerdict {
    const entry = this.#entries.get(nonce.nonce);
    if (entry === undefined) {
      return nonce.issuedAt <= this.#forgottenUpTo ? "stale-nonce" : "fresh";
    }
    return count > entry.highestCount ? "fresh" : "nonce-reused";
  }

  /**
   * Checks and, when fresh, records `count` as the highest for `nonce`, in one step.
   * Call it only for a response that verified, so a forged response cannot burn a
   * legitimate client's counts.
   */
  record(nonce: TrackedNonce, count: number): NonceCountVerdict {
    const verdict = this.check(nonce, count);
    if (verdict !== "fresh") return verdict;
    const entry = this.#entries.get(nonce.nonce);
    if (entry !== undefined) {
      entry.highestCount = count;
      return verdict;
    }
    this.#forgetExpired();
    if (this.#entries.size >= this.#maxEntries) this.#evictOldest();
    this.#entries.set(nonce.nonce, {
      highestCount: count,
      issuedAt: nonce.issuedAt,
      expiresAt: nonce.expiresAt,
    });
    return verdict;
  }

  #forgetExpired(): void {
    const now = this.#clock.now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt >= now) break;
      this.#entries.delete(key);
    }
  }

  #evictOldest(): void {
    const oldest = this.#entries.entries().next();
    if (oldest.done === true) return;
    const [key, entry] = oldest.value;
    this.#entries.delete(key);
    this.#forgottenUpTo = Math.max(this.#forgottenUpTo, entry.issuedAt);
  }
}
