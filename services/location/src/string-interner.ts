// One shared copy of the strings many bindings repeat (User-Agent, the edge socket), so that
// a registrar with many phones of a few models holds each model's User-Agent once.

export class StringInterner {
  readonly #values = new Map<string, string>();
  readonly #limit: number;

  /** @param limit - distinct values kept; values beyond it are returned as they are. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  intern<T extends string | null | undefined>(value: T): T {
    if (typeof value !== "string") return value;
    const shared = this.#values.get(value);
    if (shared !== undefined) return shared as T;
    if (this.#values.size < this.#limit) this.#values.set(value, value);
    return value;
  }
}
