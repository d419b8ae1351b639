// The aliases as the service uses them: a call's lookup("aliases") is answered from a cache
// and normally touches no database (MySQL on a miss); an alias added or removed through any
// instance's admin API is written to MySQL, dropped from this instance's cache, and announced
// so that every instance drops it from theirs.

import type { AorCache } from "@switchboard/kit";
import type { Alias, AliasRepository } from "./alias-repository.js";
import { type AorName, canonicalAor } from "./binding.js";

export interface AliasDirectoryOptions {
  readonly repository: AliasRepository;
  /** Targets by alias; null caches "not an alias". */
  readonly cache: AorCache<AorName>;
  /** Tells every instance that `alias` changed; resolves once NATS has the event. */
  readonly announceChange: (alias: AorName) => Promise<void>;
}

export class AliasDirectory {
  readonly #options: AliasDirectoryOptions;

  constructor(options: AliasDirectoryOptions) {
    this.#options = options;
  }

  /** The AOR `alias` stands for, or null when it is not an alias. */
  async resolve(alias: AorName): Promise<AorName | null> {
    const { cache, repository } = this.#options;
    const { username, domain } = canonicalAor(alias);
    const cached = cache.get(username, domain);
    if (cached !== undefined) return cached;
    const generation = cache.generation;
    const target = await repository.resolve({ username, domain });
    cache.set(username, domain, target, generation);
    return target;
  }

  /** @throws {@link AliasExistsError} when `alias.alias` is already defined. */
  async create(alias: Alias): Promise<void> {
    await this.#options.repository.create(alias);
    await this.#changed(alias.alias);
  }

  list(): Promise<Alias[]> {
    return this.#options.repository.list();
  }

  /** Removes an alias; false when there was none. */
  async delete(alias: AorName): Promise<boolean> {
    const deleted = await this.#options.repository.delete(alias);
    if (deleted) await this.#changed(alias);
    return deleted;
  }

  /** An alias changed, here or on another instance: what was cached for it goes. */
  forget(alias: AorName): void {
    const { username, domain } = canonicalAor(alias);
    this.#options.cache.invalidate(username, domain);
  }

  async #changed(alias: AorName): Promise<void> {
    this.forget(alias);
    await this.#options.announceChange(alias);
  }
}
