// The stateful relay of one request (RFC 3261 §16.6-§16.10, seed t_relay): one client
// transaction per target, responses collected in one response context, provisional
// responses and 2xx forwarded at once, the best final response forwarded when every
// branch has one, Timer C, and CANCEL of the branches.

import {
  type ClientTransaction,
  type ClientTransactionHandlers,
  type Clock,
  createCancel,
  type Destination,
  editMessage,
  type SipRequest,
  type SipResponse,
  type TimerHandle,
} from "@switchboard/sip";
import type { ReplyOutcome } from "../route/replies.js";
import { slSendReply } from "../route/sl-reply.js";
import { bestResponseIndex, mergeChallenges } from "./best-response.js";
import type { ForwardedCopy, NextHop } from "./forward-request.js";

export interface RelayDeps {
  /** Starts a client transaction (the transaction layer). */
  readonly sendRequest: (
    request: SipRequest,
    destination: Destination,
    handlers: ClientTransactionHandlers,
  ) => ClientTransaction;
  readonly clock: Clock;
  /** RFC 3261 §16.8 Timer C: longest wait for progress on an INVITE branch. */
  readonly timerCMs: number;
  /** RFC 3261 §9.1: how long a cancelled branch may take to answer (64·T1). */
  readonly cancelTimeoutMs: number;
  readonly resolve: (nextHop: NextHop) => Destination | Promise<Destination>;
}

/** Where the relay's results go: the server transaction, through the proxy core. */
export interface RelaySink {
  /** A response for the caller, this proxy's Via already removed (§16.7 step 3). */
  forward(response: SipResponse): void;
  /** The final response (or the first 2xx) went to the caller. */
  finalSent(): void;
  /** Every branch has its final response: nothing more can be cancelled. */
  ended(): void;
}

/** CANCEL requests are answered hop by hop; their outcome changes nothing here (§9.1). */
const IGNORED: ClientTransactionHandlers = {
  onResponse: () => {},
  onTimeout: () => {},
  onTransportError: () => {},
};

class Branch {
  destination: Destination | undefined;
  transaction: ClientTransaction | undefined;
  /** A provisional response arrived: a CANCEL may be sent (RFC 3261 §9.1). */
  provisional = false;
  /** The branch has its final response (received or made up here). */
  settled = false;
  /** The final response, kept until the relay ended. */
  final: SipResponse | undefined;
  /** The final response was made up here (timeout, transport error), not received. */
  synthesized = false;
  cancel: "none" | "pending" | "sent" = "none";
  /** What the branch ends with if it never answers the CANCEL. */
  cancelOutcome: ReplyOutcome = "request-terminated";
  timerC: TimerHandle | undefined;
  cancelTimer: TimerHandle | undefined;

  /** The copy sent on this branch, kept until the relay ended. */
  request: SipRequest | undefined;

  constructor(request: SipRequest) {
    this.request = request;
  }

  /**
   * The relay ended: an INVITE client transaction in Accepted still passes further 2xx
   * responses up for 64·T1 (RFC 6026 §8.4) to be forwarded (§16.7 step 5), which needs
   * neither the copy sent nor the final response.
   */
  release(): void {
    this.request = undefined;
    this.final = undefined;
  }
}

function withoutOwnVia(response: SipResponse): SipResponse {
  return editMessage(response).popVia().toMessage();
}

export class RelaySession {
  readonly #deps: RelayDeps;
  readonly #sink: RelaySink;
  readonly #isInvite: boolean;
  readonly #branches: Branch[] = [];
  /** Final responses in order of arrival. */
  readonly #finals: Branch[] = [];
  #finalSent = false;
  /** RFC 3261 §16.7 steps 5 and 10, §16.10: after a 2xx, a 6xx or a CANCEL, no new branches. */
  #noNewBranches = false;
  #ended = false;

  constructor(deps: RelayDeps, method: string, sink: RelaySink) {
    this.#deps = deps;
    this.#sink = sink;
    this.#isInvite = method === "INVITE";
  }

  /** Sends one copy per target (parallel forking, RFC 3261 §16.6). */
  start(copies: readonly ForwardedCopy[]): void {
    const branches = copies.map((copy) => new Branch(copy.request));
    this.#branches.push(...branches);
    for (const [i, branch] of branches.entries()) {
      this.#launch(branch, (copies[i] as ForwardedCopy).nextHop);
    }
  }

  /** RFC 3261 §16.10: the caller sent CANCEL; every pending branch is cancelled. */
  cancel(): void {
    this.#noNewBranches = true;
    for (const branch of this.#branches) this.#cancelBranch(branch, "request-terminated");
  }

  #launch(branch: Branch, nextHop: NextHop): void {
    let destination: Destination | Promise<Destination>;
    try {
      destination = this.#deps.resolve(nextHop);
    } catch {
      this.#fail(branch, "branch-unresolvable");
      return;
    }
    if (destination instanceof Promise) {
      destination.then(
        (resolved) => this.#send(branch, resolved),
        () => this.#fail(branch, "branch-unresolvable"),
      );
    } else {
      this.#send(branch, destination);
    }
  }

  #send(branch: Branch, destination: Destination): void {
    const { request } = branch;
    if (branch.settled || request === undefined) return;
    if (this.#noNewBranches) {
      this.#fail(branch, "request-terminated");
      return;
    }
    branch.destination = destination;
    if (this.#isInvite) this.#armTimerC(branch);
    try {
      branch.transaction = this.#deps.sendRequest(request, destination, {
        onResponse: (response) => this.#receive(branch, response),
        onTimeout: () => this.#fail(branch, "branch-timeout"),
        onTransportError: () => this.#fail(branch, "branch-unreachable"),
      });
    } catch {
      this.#fail(branch, "branch-unreachable");
    }
  }

  #receive(branch: Branch, response: SipResponse): void {
    const { status } = response;
    if (status < 200) {
      branch.provisional = true;
      if (branch.cancel === "pending") this.#sendCancel(branch);
      if (status === 100) return;
      // RFC 3261 §16.7 step 2: a 101-199 resets Timer C; step 5: it is forwarded at once.
      if (this.#isInvite && branch.timerC !== undefined) this.#armTimerC(branch);
      if (!this.#finalSent) this.#sink.forward(withoutOwnVia(response));
      return;
    }
    if (status < 300) {
      // RFC 3261 §16.7 step 5: every 2xx is forwarded at once (RFC 6026: also later ones).
      if (!branch.settled) this.#settle(branch, response, false);
      this.#sink.forward(withoutOwnVia(response));
      if (!this.#finalSent) {
        this.#finalSent = true;
        this.#sink.finalSent();
        // RFC 3261 §16.7 step 10: a 2xx to INVITE cancels the other branches.
        if (this.#isInvite) this.#cancelOthers(branch, "request-terminated");
      }
      this.#checkComplete();
      return;
    }
    if (branch.settled) return;
    this.#settle(branch, response, false);
    // RFC 3261 §16.7 step 5: a 6xx ends the forking: the other branches are cancelled.
    if (status >= 600 && this.#isInvite) this.#cancelOthers(branch, "request-terminated");
    this.#checkComplete();
  }

  /** The branch ends with a response made up here (RFC 3261 §16.7 step 6, §16.9). */
  #fail(branch: Branch, outcome: ReplyOutcome): void {
    const { request } = branch;
    if (branch.settled || request === undefined) return;
    branch.transaction?.terminate();
    this.#settle(branch, slSendReply(request, { outcome }), true);
    this.#checkComplete();
  }

  #settle(branch: Branch, response: SipResponse, synthesized: boolean): void {
    branch.settled = true;
    branch.final = response;
    branch.synthesized = synthesized;
    this.#finals.push(branch);
    this.#clearTimers(branch);
  }

  #checkComplete(): void {
    if (this.#ended || this.#finals.length < this.#branches.length) return;
    if (!this.#finalSent) {
      this.#finalSent = true;
      this.#sink.forward(this.#bestResponse());
      this.#sink.finalSent();
    }
    this.#ended = true;
    for (const branch of this.#branches) branch.release();
    this.#finals.length = 0;
    this.#sink.ended();
  }

  /** RFC 3261 §16.7 steps 6 and 7: the best final response, challenges merged. */
  #bestResponse(): SipResponse {
    const responses = this.#finals.map((branch) => branch.final as SipResponse);
    const best = this.#finals[bestResponseIndex(responses.map((response) => response.status))];
    const { final, synthesized, request } = best as Branch;
    // RFC 3261 §16.7 step 6: a 503 received from downstream goes upstream as 500, so
    // the caller does not take this proxy for unavailable.
    const chosen =
      request !== undefined && final?.status === 503 && !synthesized
        ? slSendReply(request, { outcome: "internal-error" })
        : (final as SipResponse);
    return withoutOwnVia(mergeChallenges(chosen, responses));
  }

  #cancelOthers(except: Branch, outcome: ReplyOutcome): void {
    this.#noNewBranches = true;
    for (const branch of this.#branches) if (branch !== except) this.#cancelBranch(branch, outcome);
  }

  /** RFC 3261 §9.1: a CANCEL goes only after a provisional response; until then it waits. */
  #cancelBranch(branch: Branch, outcome: ReplyOutcome): void {
    if (branch.settled || branch.cancel !== "none") return;
    branch.cancelOutcome = outcome;
    if (branch.provisional) this.#sendCancel(branch);
    else branch.cancel = "pending";
  }

  #sendCancel(branch: Branch): void {
    const { destination, request } = branch;
    if (destination === undefined || request === undefined) return;
    branch.cancel = "sent";
    this.#deps.sendRequest(createCancel(request), destination, IGNORED);
    // RFC 3261 §9.1: without a final response within 64·T1 the branch is given up.
    branch.cancelTimer = this.#deps.clock.setTimer(this.#deps.cancelTimeoutMs, () => {
      branch.cancelTimer = undefined;
      this.#fail(branch, branch.cancelOutcome);
    });
  }

  // RFC 3261 §16.8: Timer C fires → a branch with a provisional response is cancelled,
  // one without is treated as if it had received 408.
  #armTimerC(branch: Branch): void {
    const { clock, timerCMs } = this.#deps;
    if (branch.timerC !== undefined) clock.clearTimer(branch.timerC);
    branch.timerC = clock.setTimer(timerCMs, () => {
      branch.timerC = undefined;
      if (branch.provisional) this.#cancelBranch(branch, "branch-timeout");
      else this.#fail(branch, "branch-timeout");
    });
  }

  #clearTimers(branch: Branch): void {
    const { clock } = this.#deps;
    if (branch.timerC !== undefined) clock.clearTimer(branch.timerC);
    if (branch.cancelTimer !== undefined) clock.clearTimer(branch.cancelTimer);
    branch.timerC = undefined;
    branch.cancelTimer = undefined;
  }
}
