// Where a subscriber's HA1s come from when credentials are verified: the cache
// first, the subscriber store on a miss (auth_db's role in SER). With
// AUTH_CALCULATE_HA1 the store's plain password is used and the HA1s are computed
// from it (SER's calculate_ha1=1); otherwise the stored ha1 / ha1_sha256 are used.
// The realm of a subscriber is its domain, lower-cased.

import type { AorCache } from "@switchboard/kit";
import { computeHa1 } from "@switchboard/sip";

/** The HA1 values of one subscriber, lower-case hex; "" when not provisioned. */
export interface Ha1Set {
  /** MD5(username:realm:password), RFC 2617 §3.2.2.2. */
  readonly md5: string;
  /** SHA-256(username:realm:password), RFC 7616 §3.4.2. */
  readonly sha256: string;
}

/** Subscribers' HA1s by AOR; null for "no such subscriber". */
export type Ha1Cache = AorCache<Ha1Set>;

/** The secret columns of one subscriber, as stored. */
export interface StoredSecrets {
  readonly password: string;
  readonly ha1: string;
  readonly ha1Sha256: string;
}

/** The part of the subscriber store this lookup needs. */
export interface SecretsReader {
  /** @throws when the store cannot be reached (the caller answers "unavailable"). */
  findSecrets(username: string, domain: string): Promise<StoredSecrets | undefined>;
}

export type CacheLookupResult = "hit" | "miss";

/** The widths of subscriber.username and subscriber.domain: longer names cannot exist. */
const MAX_USERNAME_LENGTH = 64;
const MAX_DOMAIN_LENGTH = 190;

export interface Ha1LookupOptions {
  readonly cache: Ha1Cache;
  readonly store: SecretsReader;
  readonly calculateHa1: boolean;
  /** Called once per lookup, for the cache hit/miss counter. */
  readonly onLookup: (result: CacheLookupResult) => void;
}

export class Ha1Lookup {
  readonly #options: Ha1LookupOptions;

  constructor(options: Ha1LookupOptions) {
    this.#options = options;
  }

  /** The HA1s of (username, domain), or null when there is no such subscriber. */
  async find(username: string, domain: string): Promise<Ha1Set | null> {
    // Not cached either: names of any length must not fill the cache.
    if (username.length > MAX_USERNAME_LENGTH || domain.length > MAX_DOMAIN_LENGTH) return null;
    const { cache, store, onLookup } = this.#options;
    const cached = cache.get(username, domain);
    if (cached !== undefined) {
      onLookup("hit");
      return cached;
    }
    onLookup("miss");
    const generation = cache.generation;
    const secrets = await store.findSecrets(username, domain);
    const ha1s = secrets === undefined ? null : this.#ha1sOf(username, domain, secrets);
    cache.set(username, domain, ha1s, generation);
    return ha1s;
  }

  #ha1sOf(username: string, domain: string, secrets: StoredSecrets): Ha1Set {
    // An empty password column (a row written with AUTH_CALCULATE_HA1 off) must not
    // turn into a valid HA1 of the empty password: the stored HA1s apply then.
    if (!this.#options.calculateHa1 || secrets.password === "") {
      return { md5: secrets.ha1.toLowerCase(), sha256: secrets.ha1Sha256.toLowerCase() };
    }
    const realm = domain.toLowerCase();
    return {
      md5: computeHa1("MD5", username, realm, secrets.password),
      sha256: computeHa1("SHA-256", username, realm, secrets.password),
    };
  }
}
