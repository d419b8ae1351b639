// The in-memory binding store (usrloc's cache): every AOR's bindings, by domain then user.
// A sweep walks it, a slice at a time, for expired bindings; no binding owns a timer. Kept
// lean because a registrar holds many: no per-AOR key strings or wrapper objects,
// exact-size arrays.

import { type AorName, isLive, type StoredBinding } from "./binding.js";

/** The bindings of one AOR, as a consistent snapshot. */
export interface AorBindings extends AorName {
  readonly bindings: readonly StoredBinding[];
}

const NONE: readonly StoredBinding[] = Object.freeze([]);

// Most AORs have one binding: it is stored bare, without an array around it.
type Stored = StoredBinding | readonly StoredBinding[];

const asList = (stored: Stored): readonly StoredBinding[] =>
  Array.isArray(stored) ? stored : [stored as StoredBinding];
const countOf = (stored: Stored | undefined): number =>
  stored === undefined ? 0 : Array.isArray(stored) ? stored.length : 1;

export class BindingTable {
  readonly #domains = new Map<string, Map<string, Stored>>();
  #aorCount = 0;
  #contactCount = 0;

  get aorCount(): number {
    return this.#aorCount;
  }

  get contactCount(): number {
    return this.#contactCount;
  }

  /** The stored bindings of an AOR, expired ones included until swept. */
  get(aor: AorName): readonly StoredBinding[] {
    const stored = this.#domains.get(aor.domain)?.get(aor.username);
    return stored === undefined ? NONE : asList(stored);
  }

  /** Replaces the bindings of an AOR; an empty list forgets the AOR. */
  set(aor: AorName, bindings: readonly StoredBinding[]): void {
    let users = this.#domains.get(aor.domain);
    const previous = users?.get(aor.username);
    this.#contactCount += bindings.length - countOf(previous);
    if (bindings.length === 0) {
      if (previous === undefined || users === undefined) return;
      users.delete(aor.username);
      this.#aorCount--;
      if (users.size === 0) this.#domains.delete(aor.domain);
      return;
    }
    if (users === undefined) {
      users = new Map();
      this.#domains.set(aor.domain, users);
    }
    if (previous === undefined) this.#aorCount++;
    // slice() allocates exactly the length: a grown array would keep spare capacity.
    users.set(
      aor.username,
      bindings.length === 1 ? (bindings[0] as StoredBinding) : bindings.slice(),
    );
  }

  /** Adds one loaded binding to its AOR (used when filling the table from the database). */
  add(aor: AorName, binding: StoredBinding): void {
    this.set(aor, [...this.get(aor), binding]);
  }

  /** Every AOR with its bindings, in no particular order. */
  *aors(): IterableIterator<AorBindings> {
    for (const [domain, users] of this.#domains) {
      for (const [username, stored] of users) yield { username, domain, bindings: asList(stored) };
    }
  }

  /**
   * Removes every binding that has expired at `now`, walking the table `sliceAors` AORs at
   * a time: after each slice the walk pauses and yields how many bindings that slice
   * removed, so that a caller can let other work run in between (a walk of a million AORs
   * takes tens of milliseconds). Changes made during a pause are safe: an AOR saved since
   * has no binding that expired at `now`, one forgotten is not visited, one added is.
   */
  *removeExpired(now: number, sliceAors: number): Generator<number, void, void> {
    let removed = 0;
    let visited = 0;
    for (const [domain, users] of this.#domains) {
      for (const [username, stored] of users) {
        const bindings = asList(stored);
        if (!bindings.every((binding) => isLive(binding, now))) {
          const live = bindings.filter((binding) => isLive(binding, now));
          removed += bindings.length - live.length;
          this.set({ username, domain }, live);
        }
        if (++visited === sliceAors) {
          yield removed;
          removed = 0;
          visited = 0;
        }
      }
    }
    yield removed;
  }
}
