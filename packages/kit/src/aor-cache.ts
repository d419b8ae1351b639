// An in-memory cache of what a service knows per address-of-record (a subscriber's digest
// secrets, the target of an alias), so that the hot path normally touches no database.
// Bounded (in two generations, see Generations: an entry used since the last rotation is
// kept, the others go together, an approximation of least recently used that costs O(1)
// however long the process runs) and holding negative entries ("no such AOR") with a TTL of
// their own. Changes made through any instance's admin API arrive as events and invalidate
// the entry; entries also expire at their TTL, in case an event was lost.

import type { Clock } from "./clock.js";
import { Generations } from "./generations.js";

export interface AorCacheOptions {
  readonly maxEntries: number;
  /** How long a value is trusted without an event. */
  readonly positiveTtlMs: number;
  /** How long "none" (null) is remembered (it may be created on another instance). */
  readonly negativeTtlMs: number;
  readonly clock: Clock;
}

interface Entry<V> {
  readonly value: V | null;
  readonly expiresAt: number;
}

/** The cache key; NUL cannot occur in a username or domain. */
function keyOf(username: string, domain: string): string {
  return `${username}\u0000${domain.toLowerCase()}`;
}

/** Values of type V per AOR; null caches "there is none". */
export class AorCache<V> {
  readonly #options: AorCacheOptions;
  readonly #entries: Generations<string, Entry<V>>;
  #generation = 0;

  /** Keeps at most `maxEntries` AORs (at least 2). */
  constructor(options: AorCacheOptions) {
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
  get(username: string, domain: string): V | null | undefined {
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
  set(username: string, domain: string, value: V | null, generation: number): void {
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
