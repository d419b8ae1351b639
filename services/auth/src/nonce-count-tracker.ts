// Replay protection for qop responses: RFC 7616 §3.4 (RFC 2617 §3.2.2) — the server
// remembers the highest nonce-count it accepted for each nonce and refuses a response
// whose nc is not greater. Memory is bounded: nonces are kept in two generations (see
// Generations); a generation is dropped once every nonce in it has expired (an expired
// nonce is refused as stale before this tracker is asked) or, when the tracker is full, to
// make room. A dropped nonce is not forgotten silently: every nonce issued no later than the
// newest one dropped, and no longer tracked, is answered as stale, so the client is
// challenged again instead of a replay getting through.
//
// The state is per process. Behind a load balancer that spreads one client's
// requests over several instances, each instance tracks its own highest count.

import type { Clock } from "@switchboard/kit";
import { Generations } from "@switchboard/kit";

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

/**
 * A copy of a nonce that holds no larger string. The nonce is cut from the Authorization
 * header it came in, and V8 keeps a substring as a window on its parent: as a key here it
 * would keep the whole header alive until its generation goes. A tracked nonce passed the
 * HMAC check, so it is base64url text and latin1 gives it back unchanged.
 */
function ownCopy(nonce: string): string {
  return Buffer.from(nonce, "latin1").toString("latin1");
}

/** The issue time of a generation's newest nonce. */
function newestIssuedAt(generation: ReadonlyMap<string, Entry>): number {
  let newest = Number.NEGATIVE_INFINITY;
  for (const entry of generation.values()) newest = Math.max(newest, entry.issuedAt);
  return newest;
}

export class NonceCountTracker {
  readonly #clock: Clock;
  readonly #entries: Generations<string, Entry>;
  /** When the newest nonce of each generation expires: after that, the generation can go. */
  #currentExpiresAt = Number.NEGATIVE_INFINITY;
  #previousExpiresAt = Number.NEGATIVE_INFINITY;
  /** Untracked nonces issued at or before this time are refused (see the file comment). */
  #forgottenUpTo = Number.NEGATIVE_INFINITY;

  /** Keeps at most `maxEntries` nonces (at least 2). */
  constructor(options: NonceCountTrackerOptions) {
    if (!(options.maxEntries >= 1)) throw new RangeError("maxEntries must be at least 1");
    this.#entries = new Generations(Math.max(1, Math.floor(options.maxEntries / 2)));
    this.#clock = options.clock;
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Whether `nonce` is tracked: its count was recorded for a response that verified, so the
   * nonce passed the HMAC check then.
   */
  tracks(nonce: string): boolean {
    return this.#entries.get(nonce) !== undefined;
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
    const dropped = this.#entries.add(ownCopy(nonce.nonce), {
      highestCount: count,
      issuedAt: nonce.issuedAt,
      expiresAt: nonce.expiresAt,
    });
    if (dropped !== undefined) this.#rotated(dropped);
    this.#currentExpiresAt = Math.max(this.#currentExpiresAt, nonce.expiresAt);
    return verdict;
  }

  /** Generations whose every nonce has expired go. */
  #forgetExpired(): void {
    const now = this.#clock.now();
    if (this.#previousExpiresAt < now) {
      this.#entries.dropPrevious();
      this.#previousExpiresAt = Number.NEGATIVE_INFINITY;
      if (this.#currentExpiresAt < now) {
        this.#entries.clear();
        this.#currentExpiresAt = Number.NEGATIVE_INFINITY;
      }
    }
  }

  /** The current generation was full and rotated out `dropped`: its nonces are refused from now on. */
  #rotated(dropped: ReadonlyMap<string, Entry>): void {
    this.#forgottenUpTo = Math.max(this.#forgottenUpTo, newestIssuedAt(dropped));
    this.#previousExpiresAt = this.#currentExpiresAt;
    this.#currentExpiresAt = Number.NEGATIVE_INFINITY;
  }
}
