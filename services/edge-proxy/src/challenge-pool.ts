// Challenges kept in hand: auth.v1.challenge is asked for a batch of challenges at a time,
// each with nonces of its own, and a 401/407 takes the freshest one left. Under load, a
// challenge then costs no round trip to auth; a challenge older than the pool's age limit
// is never handed out, so clients always get recent nonces. Stale challenges (RFC 7616
// §3.3) are rare and asked for one by one. Once auth is known to be away (a fetch failed, or
// the caller says so), the challenges in hand are dropped: a client challenged then could
// not be verified, and is better told 503 at once.

import type { AuthChallengeRequest } from "@switchboard/contracts";

/** Fetches `request.count` challenges: each the header values of one challenge. */
export type ChallengeFetch = (
  request: AuthChallengeRequest,
) => Promise<readonly (readonly string[])[]>;

export interface ChallengePoolOptions {
  readonly fetch: ChallengeFetch;
  /** Challenges asked for at a time; the pool refills when half are used. */
  readonly batch: number;
  /** Challenges older than this are dropped rather than handed out. */
  readonly maxAgeMs: number;
  /** Monotonic milliseconds; default performance.now. */
  readonly now?: () => number;
}

interface PooledChallenge {
  readonly headers: readonly string[];
  readonly fetchedAt: number;
}

/** The challenges of one realm, qop and kind (401 or 407), oldest first. */
interface Stock {
  challenges: PooledChallenge[];
  refill: Promise<void> | undefined;
}

export class ChallengePool {
  readonly #options: ChallengePoolOptions;
  readonly #now: () => number;
  readonly #stocks = new Map<string, Stock>();

  constructor(options: ChallengePoolOptions) {
    if (!(options.batch >= 1)) throw new RangeError("the batch must be at least 1");
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Drops every challenge in hand (auth is away). */
  clear(): void {
    for (const stock of this.#stocks.values()) stock.challenges = [];
  }

  /** The header values of one challenge for `request`, each nonce handed out once. */
  async take(request: AuthChallengeRequest): Promise<readonly string[]> {
    if (request.stale === true) return this.#fetchOne(request);
    const key = `${request.realm}\n${request.qop}\n${request.proxy}`;
    let stock = this.#stocks.get(key);
    if (stock === undefined) {
      stock = { challenges: [], refill: undefined };
      this.#stocks.set(key, stock);
    }
    let taken = this.#takeFresh(stock);
    if (taken === undefined) {
      await this.#refill(stock, request);
      // Other callers waiting on the same refill may have emptied it.
      taken = this.#takeFresh(stock) ?? (await this.#fetchOne(request));
    } else if (stock.challenges.length < this.#options.batch / 2) {
      // Topped up ahead of need; a failure here shows at the next take that finds none.
      this.#refill(stock, request).catch(() => {});
    }
    return taken;
  }

  #takeFresh(stock: Stock): readonly string[] | undefined {
    const newest = stock.challenges.pop();
    if (newest === undefined) return undefined;
    if (this.#now() - newest.fetchedAt > this.#options.maxAgeMs) {
      // The rest are older still.
      stock.challenges = [];
      return undefined;
    }
    return newest.headers;
  }

  #refill(stock: Stock, request: AuthChallengeRequest): Promise<void> {
    stock.refill ??= this.#options
      .fetch({ ...request, count: this.#options.batch })
      .then(
        (challenges) => {
          const fetchedAt = this.#now();
          stock.challenges.push(...challenges.map((headers) => ({ headers, fetchedAt })));
        },
        (error: unknown) => {
          this.clear();
          throw error;
        },
      )
      .finally(() => {
        stock.refill = undefined;
      });
    return stock.refill;
  }

  async #fetchOne(request: AuthChallengeRequest): Promise<readonly string[]> {
    const [headers] = await this.#options.fetch({ ...request, count: 1 });
    if (headers === undefined) throw new Error("auth.v1.challenge answered no challenge");
    return headers;
  }
}
