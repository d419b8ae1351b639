// The location store of the db-only mode: no memory of its own, every save and lookup goes
// to MySQL, so any number of location instances can share one database. A save holds the
// AOR's named lock for its transaction: concurrent REGISTERs of one AOR apply one after the
// other whichever instance receives them (RFC 3261 §10.3).

import type { Clock } from "@switchboard/kit";
import {
  type AorName,
  canonicalAor,
  contactsInPreferenceOrder,
  type StoredBinding,
} from "./binding.js";
import type { LocationRepository } from "./location-repository.js";
import type { AorSummary, LocationStore, SaveResult, StoreCounts } from "./location-store.js";
import { writesOf } from "./persistence.js";
import { applyRegister, type RegisterRequest, type RegistrarLimits } from "./registrar.js";
import { storageFailure } from "./storage-failure.js";

export interface DbStoreOptions {
  readonly repository: LocationRepository;
  readonly clock: Clock;
  readonly limits: RegistrarLimits;
  readonly newRuid: () => string;
}

// Saves of different AORs share no locks; should MySQL still roll one back as a deadlock
// victim, it is simply run again.
const DEADLOCK_ATTEMPTS = 3;
const isDeadlock = (error: unknown): boolean =>
  (error as { code?: unknown } | null)?.code === "ER_LOCK_DEADLOCK";

async function storage<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw storageFailure(`could not ${what}`, error);
  }
}

export class DbLocationStore implements LocationStore {
  readonly #options: DbStoreOptions;

  constructor(options: DbStoreOptions) {
    this.#options = options;
  }

  save(input: AorName, request: RegisterRequest): Promise<SaveResult> {
    const aor = canonicalAor(input);
    const { repository, clock, limits, newRuid } = this.#options;
    const attempt = () =>
      repository.transactionOnAor(aor, async (connection): Promise<SaveResult> => {
        const current = await repository.bindingsOf(aor, connection);
        const outcome = applyRegister(current, request, clock.now(), limits, newRuid);
        if (!outcome.ok) return outcome;
        await repository.write(connection, writesOf(aor, outcome));
        return { ok: true, bindings: outcome.bindings };
      });
    return storage("save the bindings in MySQL", async () => {
      for (let tries = 1; ; tries++) {
        try {
          return await attempt();
        } catch (error) {
          if (!isDeadlock(error) || tries >= DEADLOCK_ATTEMPTS) throw error;
        }
      }
    });
  }

  lookup(aor: AorName): Promise<StoredBinding[]> {
    return storage("read the bindings from MySQL", async () =>
      contactsInPreferenceOrder(
        await this.#options.repository.bindingsOf(canonicalAor(aor)),
        this.#options.clock.now(),
      ),
    );
  }

  summaries(): Promise<AorSummary[]> {
    return storage("read the bindings from MySQL", () =>
      this.#options.repository.countsByAor(this.#options.clock.now()),
    );
  }

  removeAor(aor: AorName): Promise<boolean> {
    const { repository } = this.#options;
    const canonical = canonicalAor(aor);
    return storage("delete the bindings in MySQL", () =>
      repository.transactionOnAor(
        canonical,
        async (connection) => (await repository.deleteAor(canonical, connection)) > 0,
      ),
    );
  }

  sweep(): Promise<number> {
    return storage("delete expired bindings in MySQL", () =>
      this.#options.repository.deleteExpired(this.#options.clock.now()),
    );
  }

  counts(): Promise<StoreCounts> {
    return storage("count the bindings in MySQL", () =>
      this.#options.repository.countLive(this.#options.clock.now()),
    );
  }

  lagSeconds(): number {
    return 0;
  }

  async close(): Promise<void> {}
}
