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

export class NonceCountTracker {
  readonly #clock: Clock;
  /**
   * The highest count accepted per nonce: a number per entry and nothing else, since tens of
   * thousands are kept and every object among them is work for the garbage collector.
   */
  readonly #highestCounts: Generations<string, number>;
  // What the tracker knows of each generation as a whole, kept up as nonces are added: when
  // its newest nonce expires (after that, the generation can go), and when its newest nonce
  // was issued (once the generation is dropped unexpired, nonces up to then are refused).
  #currentExpiresAt = Number.NEGATIVE_INFINITY;
  #currentNewestIssuedAt = Number.NEGATIVE_INFINITY;
  #previousExpiresAt = Number.NEGATIVE_INFINITY;
  #previousNewestIssuedAt = Number.NEGATIVE_INFINITY;
  /** Untracked nonces issued at or before this time are refused (see the file comment). */
  #forgottenUpTo = Number.NEGATIVE_INFINITY;

  /** Keeps at most `maxEntries` nonces (at least 2). */
  constructor(options: NonceCountTrackerOptions) {
    if (!(options.maxEntries >= 1)) throw new RangeError("maxEntries must be at least 1");
    this.#highestCounts = new Generations(Math.max(1, Math.floor(options.maxEntries / 2)));
    this.#clock = options.clock;
  }

  get size(): number {
    return this.#highestCounts.size;
  }

  /**
   * Whether `nonce` is tracked: its count was recorded for a response that verified, so the
   * nonce passed the HMAC check then.
   */
  tracks(nonce: string): boolean {
    return this.#highestCounts.get(nonce) !== undefined;
  }

  /** Whether `count` would be accepted for `nonce`; changes nothing. */
  check(nonce: TrackedNonce, count: number): NonceCountVerdict {
    const highest = this.#highestCounts.get(nonce.nonce);
    if (highest === undefined) {
      return nonce.issuedAt <= this.#forgottenUpTo ? "stale-nonce" : "fresh";
    }
    return count > highest ? "fresh" : "nonce-reused";
  }

  /**
   * Checks and, when fresh, records `count` as the highest for `nonce`, in one step.
   * Call it only for a response that verified, so a forged response cannot burn a
   * legitimate client's counts.
   */
  record(nonce: TrackedNonce, count: number): NonceCountVerdict {
    const verdict = this.check(nonce, count);
    if (verdict !== "fresh") return verdict;
    if (this.#highestCounts.replace(nonce.nonce, count)) return verdict;
    this.#forgetExpired();
    if (this.#highestCounts.add(ownCopy(nonce.nonce), count)) this.#rotated();
    this.#currentExpiresAt = Math.max(this.#currentExpiresAt, nonce.expiresAt);
    this.#currentNewestIssuedAt = Math.max(this.#currentNewestIssuedAt, nonce.issuedAt);
    return verdict;
  }

  /** Generations whose every nonce has expired go. */
  #forgetExpired(): void {
    const now = this.#clock.now();
    if (this.#previousExpiresAt < now) {
      this.#highestCounts.dropPrevious();
      this.#previousExpiresAt = Number.NEGATIVE_INFINITY;
      this.#previousNewestIssuedAt = Number.NEGATIVE_INFINITY;
      if (this.#currentExpiresAt < now) {
        this.#highestCounts.clear();
        this.#currentExpiresAt = Number.NEGATIVE_INFINITY;
        this.#currentNewestIssuedAt = Number.NEGATIVE_INFINITY;
      }
    }
  }

  /**
   * The current generation was full: the previous one was dropped, and its nonces are refused
   * from now on; the current one became the previous.
   */
  #rotated(): void {
    this.#forgottenUpTo = Math.max(this.#forgottenUpTo, this.#previousNewestIssuedAt);
    this.#previousExpiresAt = this.#currentExpiresAt;
    this.#previousNewestIssuedAt = this.#currentNewestIssuedAt;
    this.#currentExpiresAt = Number.NEGATIVE_INFINITY;
    this.#currentNewestIssuedAt = Number.NEGATIVE_INFINITY;
  }
}
