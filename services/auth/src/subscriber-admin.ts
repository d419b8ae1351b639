// The operations of the admin API on subscribers (serctl's `add`, `rm`, `passwd`,
// `list`). After every change the local HA1 cache entry goes at once and the other
// instances are told through the subscriber-changed event, so no instance keeps
// verifying against an old password.

import type { Aor } from "@switchboard/contracts";
import type { Ha1Cache } from "./ha1-lookup.js";
import type { SubscriberRecord, SubscriberRepository } from "./subscriber-repository.js";
import { deriveSecrets } from "./subscriber-secrets.js";

export interface NewSubscriber {
  readonly username: string;
  readonly domain: string;
  readonly password: string;
  readonly email?: string | undefined;
}

export interface SubscriberAdminOptions {
  readonly repository: SubscriberRepository;
  readonly cache: Ha1Cache;
  /** Keep the plain password in the `password` column (AUTH_CALCULATE_HA1). */
  readonly keepPassword: boolean;
  /** Publishes the subscriber-changed event; called after each successful change. */
  readonly announceChange: (aor: Aor) => Promise<void>;
}

export class SubscriberAdmin {
  readonly #options: SubscriberAdminOptions;

  constructor(options: SubscriberAdminOptions) {
    this.#options = options;
  }

  /** @throws SubscriberExistsError when the subscriber exists. */
  async create(subscriber: NewSubscriber): Promise<Aor & { email: string }> {
    const username = subscriber.username;
    const domain = subscriber.domain.toLowerCase();
    const email = subscriber.email ?? "";
    await this.#options.repository.create(
      { username, domain, email },
      this.#secrets(username, domain, subscriber.password),
    );
    await this.#changed({ username, domain });
    return { username, domain, email };
  }

  list(domain?: string): Promise<SubscriberRecord[]> {
    return this.#options.repository.list(domain);
  }

  show(username: string, domain: string): Promise<SubscriberRecord | undefined> {
    return this.#options.repository.find(username, domain);
  }

  /** @returns false when there is no such subscriber. */
  async delete(username: string, domain: string): Promise<boolean> {
    const deleted = await this.#options.repository.delete(username, domain);
    if (deleted) await this.#changed({ username, domain: domain.toLowerCase() });
    return deleted;
  }

  /** @returns false when there is no such subscriber. */
  async changePassword(username: string, domain: string, password: string): Promise<boolean> {
    const secrets = this.#secrets(username, domain, password);
    const updated = await this.#options.repository.updateSecrets(username, domain, secrets);
    if (updated) await this.#changed({ username, domain: domain.toLowerCase() });
    return updated;
  }

  #secrets(username: string, domain: string, password: string) {
    return deriveSecrets(username, domain, password, { keepPassword: this.#options.keepPassword });
  }

  async #changed(aor: Aor): Promise<void> {
    this.#options.cache.invalidate(aor.username, aor.domain);
    await this.#options.announceChange(aor);
  }
}
