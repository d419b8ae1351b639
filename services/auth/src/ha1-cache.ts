// The in-memory cache of subscribers' digest secrets, so that verifying credentials
// normally touches no database. Bounded (in two generations, see Generations: an entry
// used since the last rotation is kept, the others go together, an approximation of least
// recently used that costs O(1) however long the process runs) and
// holding negative entries for unknown users with a short TTL. Changes made through
// any instance's admin API arrive as subscriber-changed events and invalidate the
// entry; positive entries also expire after a longer TTL, in case an event was lost.

import type { Clock } from "@switchboard/kit";
import { Generations } from "./generations.js";

/** The HA1 values of one subscriber, lower-case hex; "" when not provisioned. */
export interface Ha1Set {
  /** MD5(username:realm:password), RFC 2617 §3.2.2.2. */
  readonly md5: string;
  /** SHA-256(username:realm:password), RFC 7616 §3.4.2. */
  readonly sha256: string;
}

/** A cached lookup: the subscriber's HA1s, or null for "no such subscriber". */
export type Ha1CacheValue = Ha1Set | null;

export interface Ha1CacheOptions {
  readonly maxEntries: number;
  /** How long a subscriber's HA1s are trusted without an event. */
  readonly positiveTtlMs: number;
  /** How long "no such subscriber" is remembered (a user may be created on another instance). */
  readonly negativeTtlMs: number;
  readonly clock: Clock;
}

interface Entry {
  readonly value: Ha1CacheValue;
  readonly expiresAt: number;
}

/** The cache key; NUL cannot occur in a username or domain. */
function keyOf(username: string, domain: string): string {
  return `${username}\u0000${domain.toLowerCase()}`;
}

export class Ha1Cache {
  readonly #options: Ha1CacheOptions;
  readonly #entries: Generations<string, Entry>;
  #generation = 0;

  /** Keeps at most `maxEntries` subscribers (at least 2). */
  constructor(options: Ha1CacheOptions) {
    if (!(options.maxEntries >= 1)) throw new RangeError("maxEntries must be at least 1");
    this.#options = options;
    this.#entries = new Generations(Math.max(1, Math.floor(options.maxEntries / 2)));
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Changes on every invalidation. A caller reads it before a database lookup and
   * passes it to set(), so a row read before a change cannot be cached after it.
   */
  get generation(): number {
    return this.#generation;
  }

  /** The cached value, or undefined on a miss (absent or expired). */
  get(username: string, domain: string): Ha1CacheValue | undefined {
    const key = keyOf(username, domain);
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#options.clock.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    // Used again: it moves to the current generation, which the next rotation keeps.
    if (!this.#entries.isCurrent(key)) {
      this.#entries.delete(key);
      this.#entries.add(key, entry);
    }
    return entry.value;
  }

  /** Caches `value` unless an invalidation happened since `generation` was read. */
  set(username: string, domain: string, value: Ha1CacheValue, generation: number): void {
    if (generation !== this.#generation) return;
    const key = keyOf(username, domain);
    const ttl = value === null ? this.#options.negativeTtlMs : this.#options.positiveTtlMs;
    this.#entries.delete(key);
    this.#entries.add(key, { value, expiresAt: this.#options.clock.now() + ttl });
  }

  invalidate(username: string, domain: string): void {
    this.#generation++;
    this.#entries.delete(keyOf(username, domain));
  }

  /** Drops everything, e.g. after reconnecting to NATS, when change events may have been missed. */
  clear(): void {
    this.#generation++;
    this.#entries.clear();
  }
}
