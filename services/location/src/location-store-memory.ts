// The location store of the write-back, write-through and durable modes: bindings live in
// memory (usrloc's cache) and a Persistence decides when MySQL gets them. At start every
// unexpired binding is loaded from MySQL, so a restart loses no registration.

import { setImmediate } from "node:timers/promises";
import type { Clock } from "@switchboard/kit";
import {
  type AorName,
  canonicalAor,
  contactsInPreferenceOrder,
  isLive,
  type StoredBinding,
} from "./binding.js";
import { BindingTable } from "./binding-table.js";
import { KeyedQueue } from "./keyed-queue.js";
import type { LocationRepository } from "./location-repository.js";
import type { AorSummary, LocationStore, SaveResult, StoreCounts } from "./location-store.js";
import type { Persistence } from "./persistence.js";
import { applyRegister, type RegisterRequest, type RegistrarLimits } from "./registrar.js";
import { StringInterner } from "./string-interner.js";

export interface MemoryStoreOptions {
  readonly repository: LocationRepository;
  readonly persistence: Persistence;
  readonly clock: Clock;
  readonly limits: RegistrarLimits;
  readonly newRuid: () => string;
  /** Told about failures of background work (deleting expired rows). */
  readonly onBackgroundError: (error: unknown) => void;
}

const queueKey = (aor: AorName): string => `${aor.domain}\u0000${aor.username}`;

// Distinct User-Agent and socket values shared; more are rare and simply not shared.
const INTERNED_VALUES = 10_000;

// AORs a sweep checks before it lets other work run: about a millisecond of the event loop.
const SWEEP_SLICE_AORS = 20_000;

export class MemoryLocationStore implements LocationStore {
  readonly #options: MemoryStoreOptions;
  readonly #table = new BindingTable();
  // RFC 3261 §10.3: the REGISTERs of one AOR apply one at a time, in the order received.
  readonly #queue = new KeyedQueue();
  readonly #strings = new StringInterner(INTERNED_VALUES);

  private constructor(options: MemoryStoreOptions) {
    this.#options = options;
  }

  /** A store filled with every binding of MySQL that has not expired. */
  static async open(options: MemoryStoreOptions): Promise<MemoryLocationStore> {
    const store = new MemoryLocationStore(options);
    for await (const page of options.repository.liveBindings(options.clock.now())) {
      for (const { aor, binding } of page) {
        store.#table.add(canonicalAor(aor), {
          ...binding,
          userAgent: store.#strings.intern(binding.userAgent),
          socket: store.#strings.intern(binding.socket),
        });
      }
    }
    return store;
  }

  save(input: AorName, received: RegisterRequest): Promise<SaveResult> {
    const aor = canonicalAor(input);
    const request: RegisterRequest = {
      ...received,
      userAgent: this.#strings.intern(received.userAgent),
      socket: this.#strings.intern(received.socket),
    };
    return this.#queue.run(queueKey(aor), async () => {
      const { clock, limits, newRuid, persistence } = this.#options;
      const outcome = applyRegister(this.#table.get(aor), request, clock.now(), limits, newRuid);
      if (!outcome.ok) return outcome;
      if (outcome.upserts.length > 0 || outcome.removals.length > 0) {
        // Memory changes only once the mode's durability is reached; a failure leaves it as
        // it was (the whole request applies or nothing does).
        await persistence.persist(aor, outcome);
      }
      this.#table.set(aor, outcome.bindings);
      return { ok: true, bindings: outcome.bindings };
    });
  }

  async lookup(aor: AorName): Promise<StoredBinding[]> {
    return contactsInPreferenceOrder(this.#table.get(canonicalAor(aor)), this.#options.clock.now());
  }

  async summaries(): Promise<AorSummary[]> {
    const now = this.#options.clock.now();
    const summaries: AorSummary[] = [];
    for (const entry of this.#table.aors()) {
      const contacts = entry.bindings.filter((binding) => isLive(binding, now)).length;
      if (contacts > 0) {
        summaries.push({ aor: { username: entry.username, domain: entry.domain }, contacts });
      }
    }
    return summaries;
  }

  removeAor(input: AorName): Promise<boolean> {
    const aor = canonicalAor(input);
    return this.#queue.run(queueKey(aor), async () => {
      const stored = this.#table.get(aor);
      const hadLive = stored.some((binding) => isLive(binding, this.#options.clock.now()));
      if (stored.length > 0) {
        await this.#options.persistence.persist(aor, {
          upserts: [],
          removals: stored.map((binding) => binding.ruid),
        });
        this.#table.set(aor, []);
      }
      return hadLive;
    });
  }

  async sweep(): Promise<number> {
    const now = this.#options.clock.now();
    let removed = 0;
    for (const count of this.#table.removeExpired(now, SWEEP_SLICE_AORS)) {
      removed += count;
      // Saves and lookups waiting meanwhile are served between the slices.
      await setImmediate();
    }
    try {
      await this.#options.repository.deleteExpired(now);
    } catch (error) {
      this.#options.onBackgroundError(error);
    }
    return removed;
  }

  async counts(): Promise<StoreCounts> {
    return { contacts: this.#table.contactCount, aors: this.#table.aorCount };
  }

  lagSeconds(): number {
    return this.#options.persistence.lagSeconds();
  }

  async close(): Promise<void> {
    await this.#queue.idle();
    await this.#options.persistence.close();
  }
}
