// db_mode write-through: each save is its own MySQL transaction, committed before the
// REGISTER is answered.

import type { AorName } from "./binding.js";
import type { LocationRepository } from "./location-repository.js";
import { type Persistence, writesOf } from "./persistence.js";
import type { RegisterChanges } from "./registrar.js";
import { storageFailure } from "./storage-failure.js";

export class WriteThroughPersistence implements Persistence {
  readonly #repository: LocationRepository;

  constructor(repository: LocationRepository) {
    this.#repository = repository;
  }

  async persist(aor: AorName, changes: RegisterChanges): Promise<void> {
    try {
      await this.#repository.applyWrites(writesOf(aor, changes));
    } catch (error) {
      throw storageFailure("could not write the bindings to MySQL", error);
    }
  }

  async flush(): Promise<void> {}

  lagSeconds(): number {
    return 0;
  }

  async close(): Promise<void> {}
}
