// db_mode durable: a save is answered only once committed, and the saves that arrive while
// one transaction commits are grouped into the next one (group commit), so durability costs
// one MySQL round trip per batch rather than per REGISTER.

import type { Clock } from "@switchboard/kit";
import type { AorName } from "./binding.js";
import type { BindingWrites, LocationRepository } from "./location-repository.js";
import { type FlushObserver, mergeWrites, type Persistence, writesOf } from "./persistence.js";
import type { RegisterChanges } from "./registrar.js";
import { isConnectionFailure, storageFailure } from "./storage-failure.js";

interface PendingSave {
  readonly writes: BindingWrites;
  readonly queuedAt: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

// Bounds one transaction; more waiting saves go into the following one.
const MAX_BATCH = 1000;

export class GroupCommitPersistence implements Persistence {
  readonly #repository: LocationRepository;
  readonly #clock: Clock;
  readonly #observer: FlushObserver;
  #queue: PendingSave[] = [];
  #committing: PendingSave[] = [];
  #drain: Promise<void> | undefined;

  constructor(repository: LocationRepository, clock: Clock, observer: FlushObserver) {
    this.#repository = repository;
    this.#clock = clock;
    this.#observer = observer;
  }

  persist(aor: AorName, changes: RegisterChanges): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({
        writes: writesOf(aor, changes),
        queuedAt: this.#clock.now(),
        resolve,
        reject,
      });
      this.#drain ??= this.#commitAll();
    });
  }

  async #commitAll(): Promise<void> {
    while (this.#queue.length > 0) {
      this.#committing = this.#queue.splice(0, MAX_BATCH);
      await this.#commit(this.#committing);
      this.#committing = [];
    }
    this.#drain = undefined;
  }

  async #commit(batch: readonly PendingSave[]): Promise<void> {
    const started = performance.now();
    try {
      await this.#repository.applyWrites(mergeWrites(batch.map((save) => save.writes)));
      this.#observer.flushed((performance.now() - started) / 1000);
      for (const save of batch) save.resolve();
    } catch (error) {
      this.#observer.flushFailed(error);
      if (batch.length > 1 && !isConnectionFailure(error)) {
        // MySQL refused the statement itself: commit the saves one by one so that only the
        // save it cannot take fails.
        for (const save of batch) await this.#commit([save]);
        return;
      }
      const failure = storageFailure("could not commit the bindings to MySQL", error);
      for (const save of batch) save.reject(failure);
    }
  }

  async flush(): Promise<void> {
    await this.#drain;
  }

  lagSeconds(): number {
    const oldest = this.#committing[0] ?? this.#queue[0];
    return oldest === undefined ? 0 : Math.max(0, this.#clock.now() - oldest.queuedAt) / 1000;
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
