// Challenges kept in hand: auth.v1.challenge is asked for a batch of challenges at a time,
// each with nonces of its own, and a 401/407 takes the freshest one left. Under load, a
// challenge then costs no round trip to auth; a challenge older than the pool's age limit
// is never handed out, so clients always get recent nonces. Callers that find none in hand
// share the batches on their way, one more batch asked for each `batch` of them, so that a
// burst of REGISTERs (phones re-registering together after an outage) costs auth one request
// per batch rather than one per phone. Stale challenges (RFC 7616 §3.3) are rare and asked
// for one by one. Once auth is known to be away (a fetch failed, or the caller says so), the
// challenges in hand are dropped: a client challenged then could not be verified, and is
// better told 503 at once.

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

/** A batch on its way, and how many callers with nothing in hand wait for it. */
interface Refill {
  done: Promise<void>;
  claims: number;
}

/** The challenges of one realm, qop and kind (401 or 407), oldest first. */
interface Stock {
  challenges: PooledChallenge[];
  refills: Refill[];
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
      stock = { challenges: [], refills: [] };
      this.#stocks.set(key, stock);
    }
    for (;;) {
      const taken = this.#takeFresh(stock);
      if (taken !== undefined) {
        if (stock.refills.length === 0 && stock.challenges.length < this.#options.batch / 2) {
          // Topped up ahead of need; a failure here shows at the next take that finds none.
          this.#startRefill(stock, request).done.catch(() => {});
        }
        return taken;
      }
      // Callers that came first, or took none from the batch they waited for, may have
      // emptied it: wait for another.
      await this.#claim(stock, request);
    }
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

  /** Waits for a batch on its way that has room for one more caller, asking for one if none has. */
  #claim(stock: Stock, request: AuthChallengeRequest): Promise<void> {
    const refill =
      stock.refills.find((pending) => pending.claims < this.#options.batch) ??
      this.#startRefill(stock, request);
    refill.claims++;
    return refill.done;
  }

  #startRefill(stock: Stock, request: AuthChallengeRequest): Refill {
    const refill: Refill = { done: Promise.resolve(), claims: 0 };
    refill.done = this.#options
      .fetch({ ...request, count: this.#options.batch })
      .then(
        (challenges) => {
          if (challenges.length === 0) throw new Error("auth.v1.challenge answered no challenge");
          const fetchedAt = this.#now();
          stock.challenges.push(...challenges.map((headers) => ({ headers, fetchedAt })));
        },
        (error: unknown) => {
          this.clear();
          throw error;
        },
      )
      .finally(() => {
        const index = stock.refills.indexOf(refill);
        if (index >= 0) stock.refills.splice(index, 1);
      });
    stock.refills.push(refill);
    return refill;
  }

  async #fetchOne(request: AuthChallengeRequest): Promise<readonly string[]> {
    const [headers] = await this.#options.fetch({ ...request, count: 1 });
    if (headers === undefined) throw new Error("auth.v1.challenge answered no challenge");
    return headers;
  }
}
