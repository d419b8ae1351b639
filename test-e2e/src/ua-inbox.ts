// The messages a test user agent received, and waiting for one of them. Listeners see each
// message first and may claim it (a client transaction claims its responses); an unclaimed
// message goes to the first waiter whose predicate accepts it, else is kept until asked for.

import type { SipMessage } from "@switchboard/sip";
import { DeadlineError } from "./deadline.js";

/** Sees every message; returns true to claim it (it is then neither kept nor awaited). */
export type InboxListener = (message: SipMessage) => boolean;

interface Waiter {
  readonly accepts: (message: SipMessage) => boolean;
  readonly resolve: (message: SipMessage) => void;
}

export class Inbox {
  /** Every message received, in order (including those already taken). */
  readonly received: SipMessage[] = [];
  readonly #kept: SipMessage[] = [];
  readonly #waiters: Waiter[] = [];
  readonly #listeners = new Set<InboxListener>();

  deliver(message: SipMessage): void {
    this.received.push(message);
    let claimed = false;
    for (const listener of this.#listeners) claimed = listener(message) || claimed;
    if (claimed) return;
    const index = this.#waiters.findIndex((waiter) => waiter.accepts(message));
    if (index === -1) {
      this.#kept.push(message);
      return;
    }
    const [waiter] = this.#waiters.splice(index, 1);
    waiter?.resolve(message);
  }

  /** Calls `listener` with every later message; returns the function that removes it. */
  listen(listener: InboxListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * The first kept or later message `accepts` takes, removed from the inbox.
   * @throws DeadlineError naming `what` after `timeoutMs`.
   */
  take<T extends SipMessage>(
    accepts: (message: SipMessage) => message is T,
    timeoutMs: number,
    what: string,
  ): Promise<T>;
  take(
    accepts: (message: SipMessage) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<SipMessage>;
  take(
    accepts: (message: SipMessage) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<SipMessage> {
    const index = this.#kept.findIndex(accepts);
    if (index !== -1) return Promise.resolve(this.#kept.splice(index, 1)[0] as SipMessage);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        accepts,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(new DeadlineError(`no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }
}
