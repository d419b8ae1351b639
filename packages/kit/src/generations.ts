// A bounded memory that forgets in bulk: entries go into the current generation; when it is
// full, the previous generation is dropped whole and the current one takes its place. A Map
// used as a FIFO (delete the oldest, insert the newest) gets slower the longer it runs: V8
// leaves a hole for every deleted entry, and finding the oldest entry means stepping over
// all the holes at the front, about 20 µs per eviction at 65,536 entries.

export class Generations<K, V> {
  readonly #generationSize: number;
  #current = new Map<K, V>();
  #previous = new Map<K, V>();

  /** @param generationSize - entries per generation; at most twice as many are kept. */
  constructor(generationSize: number) {
    if (!(generationSize >= 1)) throw new RangeError("a generation holds at least one entry");
    this.#generationSize = generationSize;
  }

  get size(): number {
    return this.#current.size + this.#previous.size;
  }

  get(key: K): V | undefined {
    const value = this.#current.get(key);
    return value === undefined ? this.#previous.get(key) : value;
  }

  /**
   * Adds `key` to the current generation, first rotating when it is full: the previous
   * generation is dropped and the current one takes its place. Returns whether it rotated.
   */
  add(key: K, value: V): boolean {
    const rotate = this.#current.size >= this.#generationSize;
    if (rotate) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
    this.#current.set(key, value);
    return rotate;
  }

  /** Sets the value of `key` in the generation that holds it; false when neither does. */
  replace(key: K, value: V): boolean {
    if (this.#current.has(key)) {
      this.#current.set(key, value);
      return true;
    }
    if (!this.#previous.has(key)) return false;
    this.#previous.set(key, value);
    return true;
  }

  /** Removes `key` from both generations. */
  delete(key: K): void {
    this.#current.delete(key);
    this.#previous.delete(key);
  }

  /** Whether `key` is in the current generation (it has been added since the last rotation). */
  isCurrent(key: K): boolean {
    return this.#current.has(key);
  }

  /** Drops the previous generation only. */
  dropPrevious(): void {
    if (this.#previous.size > 0) this.#previous = new Map();
  }

  /** Drops both generations. */
  clear(): void {
    if (this.#current.size > 0) this.#current = new Map();
    this.dropPrevious();
  }
}
