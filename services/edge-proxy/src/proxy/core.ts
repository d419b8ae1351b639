// The proxy core: the transaction user of RFC 3261 §16. A new request runs through the
// route script; its answer goes back through the server transaction, or the request is
// relayed statefully. CANCEL is matched to its INVITE (§16.10); ACKs for 2xx and stray
// 2xx responses are forwarded statelessly.

import type { Logger } from "@switchboard/kit";
import {
  type ClientTransaction,
  type ClientTransactionHandlers,
  type Clock,
  createVia,
  type Destination,
  formatDestination,
  type InviteServerTransaction,
  type NonInviteServerTransaction,
  type ServerTransaction,
  type SipRequest,
  type SipResponse,
  type TimerHandle,
  type TransactionUser,
} from "@switchboard/sip";
import type { EdgeMetrics } from "../metrics.js";
import {
  type RelayTarget,
  type Reply,
  RequestContext,
  type RouteDeps,
  type StepResult,
} from "../route/context.js";
import { mainRoute } from "../route/script.js";
import { retryAfter, slReplyError, slSendReply } from "../route/sl-reply.js";
import { type ForwardedCopy, forwardedCopy, type NextHop } from "./forward-request.js";
import { branchWithLoopHash, loopHash } from "./loop-detection.js";
import { RelaySession } from "./relay.js";
import { StatelessForwarder } from "./stateless.js";

export interface ProxyCoreDeps {
  readonly routeDeps: RouteDeps;
  /** Starts a client transaction (the transaction layer's sendRequest). */
  readonly sendRequest: (
    request: SipRequest,
    destination: Destination,
    handlers: ClientTransactionHandlers,
  ) => ClientTransaction;
  /** Sends bytes outside any transaction (stateless forwarding). */
  readonly send: (data: Buffer, destination: Destination) => void;
  /** The size of the datagram a request came in (seed `msg:len`). */
  readonly sizeOf: (request: SipRequest) => number;
  readonly resolve: (nextHop: NextHop) => Destination | Promise<Destination>;
  readonly clock: Clock;
  readonly timerCMs: number;
  /** When a client's Timer E reaches T2: the earliest 100 to a non-INVITE over UDP (RFC 4320 §4.1). */
  readonly nonInviteProvisionalDelayMs: number;
  /** 64·T1: how long a cancelled branch may take to answer (RFC 3261 §9.1). */
  readonly cancelTimeoutMs: number;
  readonly retryAfterSeconds: number;
  readonly metrics: EdgeMetrics;
  readonly logger: Logger;
}

/** An INVITE still in the script: a CANCEL can only mark it. */
interface PendingInvite {
  cancelled: boolean;
}

export class ProxyCore implements TransactionUser {
  readonly #deps: ProxyCoreDeps;
  readonly #stateless: StatelessForwarder;
  /** INVITE server transactions not yet finally answered, for CANCEL (§16.10). */
  readonly #invites = new Map<InviteServerTransaction, PendingInvite | RelaySession>();
  /** Requests in the script and relays not ended: what shutdown waits for. */
  readonly #running = new Set<object>();
  #idleWaiters: (() => void)[] = [];
  #draining = false;

  constructor(deps: ProxyCoreDeps) {
    this.#deps = deps;
    this.#stateless = new StatelessForwarder({
      routeDeps: deps.routeDeps,
      resolve: deps.resolve,
      send: deps.send,
    });
  }

  /** Requests being routed and relays not finished. */
  get running(): number {
    return this.#running.size;
  }

  /** Stops taking new requests (answered 503); running ones go on. */
  startDraining(): void {
    this.#draining = true;
  }

  /** Resolves once no request is being routed or relayed. */
  whenIdle(): Promise<void> {
    if (this.#running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #finished(work: object): void {
    this.#running.delete(work);
    if (this.#running.size > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  onRequest(transaction: ServerTransaction): void {
    if (this.#draining) {
      const headers = retryAfter(this.#deps.retryAfterSeconds);
      this.#reply(transaction, { outcome: "shutting-down", headers });
      return;
    }
    void this.#serve(transaction);
  }

  // RFC 3261 §16.10 (and §9.2 for the CANCEL's own answer).
  onCancel(cancel: NonInviteServerTransaction, invite: InviteServerTransaction | undefined): void {
    if (invite === undefined) {
      this.#reply(cancel, { outcome: "no-such-transaction" });
      return;
    }
    this.#reply(cancel, { outcome: "cancelled" });
    const entry = this.#invites.get(invite);
    if (entry instanceof RelaySession) {
      entry.cancel();
    } else if (entry !== undefined) {
      // Not forwarded yet: the INVITE ends here.
      entry.cancelled = true;
      this.#invites.delete(invite);
      this.#reply(invite, { outcome: "request-terminated" });
    }
  }

  onAck(ack: SipRequest, source: Destination): void {
    this.#stateless.forwardAck(ack, source).then(
      (dropped) => {
        if (dropped !== undefined) this.#deps.metrics.dropped(dropped);
      },
      (error: unknown) => {
        this.#deps.metrics.dropped("stray-ack");
        this.#deps.logger.debug({ err: error }, "ACK not forwarded");
      },
    );
  }

  onStrayResponse(response: SipResponse): void {
    try {
      const dropped = this.#stateless.forwardStrayResponse(response);
      if (dropped !== undefined) this.#deps.metrics.dropped(dropped);
    } catch (error) {
      this.#deps.logger.debug({ err: error }, "stray response not forwarded");
    }
  }

  onServerTimeout(transaction: InviteServerTransaction): void {
    const to = formatDestination(transaction.responseDestination);
    this.#deps.logger.debug({ to }, "no ACK for a final response");
  }

  onServerTransportError(transaction: ServerTransaction, error: Error): void {
    const to = formatDestination(transaction.responseDestination);
    this.#deps.logger.debug({ err: error, to }, "response not sent");
  }

  async #serve(transaction: ServerTransaction): Promise<void> {
    const started = this.#deps.clock.now();
    const { request } = transaction;
    // A new transaction always has its request; it is released with the final response.
    if (request === undefined) return;
    const pending: PendingInvite = { cancelled: false };
    const invite = transaction.kind === "server-invite" ? transaction : undefined;
    if (invite) this.#invites.set(invite, pending);
    this.#running.add(pending);
    let ctx: RequestContext | undefined;
    let result: StepResult;
    let deferredProvisional: TimerHandle | undefined;
    try {
      ctx = new RequestContext({
        request,
        size: this.#deps.sizeOf(request),
        source: transaction.source,
        sendProvisional: (reply) => {
          deferredProvisional = this.#provisional(transaction, reply);
        },
      });
      result = await mainRoute(ctx, this.#deps.routeDeps);
    } catch (error) {
      const reply = slReplyError(error, this.#deps.retryAfterSeconds);
      this.#logFailure(error, request, reply);
      result = { action: "reply", reply };
    }
    if (deferredProvisional !== undefined) this.#deps.clock.clearTimer(deferredProvisional);
    this.#finished(pending);
    if (pending.cancelled) return;
    if (invite) this.#invites.delete(invite);
    try {
      if (result.action === "reply") this.#reply(transaction, result.reply);
      else if (result.action === "relay" && ctx)
        this.#relay(transaction, ctx, result.targets, started);
    } catch (error) {
      // A bug, not input: the caller still gets an answer and the process goes on.
      this.#deps.logger.error({ err: error, callId: request.callId }, "relay failed");
      this.#reply(transaction, { outcome: "internal-error" });
    }
  }

  /** seed route[1] t_relay(): a branch per target, Via with the loop-detection hash. */
  #relay(
    transaction: ServerTransaction,
    ctx: RequestContext,
    targets: readonly RelayTarget[],
    started: number,
  ): void {
    const { identity } = this.#deps.routeDeps;
    const hash = loopHash(ctx.request);
    const recordRoute = ctx.recordRoute ? identity.recordRoute(ctx.request.callId) : undefined;
    const copies: ForwardedCopy[] = [];
    for (const target of targets) {
      const via = createVia({
        transport: "UDP",
        host: identity.viaHost,
        port: identity.advertisedPort,
        branch: branchWithLoopHash(hash),
      });
      try {
        copies.push(forwardedCopy(ctx, target, via, recordRoute));
      } catch (error) {
        this.#deps.logger.warn({ err: error, target: target.uri }, "target cannot be forwarded to");
      }
    }
    if (copies.length === 0) {
      this.#reply(transaction, { outcome: "internal-error" });
      return;
    }
    const invite = transaction.kind === "server-invite" ? transaction : undefined;
    const session: RelaySession = new RelaySession(this.#deps, ctx.request.method, {
      forward: (response) => this.#send(transaction, response),
      finalSent: () => {
        this.#deps.metrics.relayFinished((this.#deps.clock.now() - started) / 1000);
        if (invite) this.#invites.delete(invite);
      },
      ended: () => this.#finished(session),
    });
    this.#running.add(session);
    if (invite) this.#invites.set(invite, session);
    session.start(copies);
  }

  /**
   * A provisional reply. RFC 4320 §4.1: over an unreliable transport a non-INVITE request
   * may get a 100 only once the client's Timer E has grown to T2; before that it would only
   * slow the client's recovery from a lost final response. So it is sent then, if the final
   * answer is still not ready; the returned timer is cleared when it is.
   */
  #provisional(transaction: ServerTransaction, reply: Reply): TimerHandle | undefined {
    if (transaction.kind === "server-invite" || transaction.source.transport !== "UDP") {
      this.#reply(transaction, reply);
      return undefined;
    }
    return this.#deps.clock.setTimer(this.#deps.nonInviteProvisionalDelayMs, () => {
      if (transaction.lastStatus === undefined) this.#reply(transaction, reply);
    });
  }

  /** seed sl_send_reply, through the server transaction (or statelessly, §8.2.7). */
  #reply(transaction: ServerTransaction, reply: Reply): void {
    const { request } = transaction;
    // Answered already: the transaction would discard another final response (§17.2.2).
    if (request === undefined) return;
    let response: SipResponse;
    try {
      response = slSendReply(request, reply);
    } catch (error) {
      // A reason phrase from a dependency that cannot be written: answer plainly.
      this.#deps.logger.warn({ err: error }, "reply could not be built");
      response = slSendReply(request, { outcome: reply.outcome, stateless: reply.stateless });
    }
    this.#send(transaction, response, reply.stateless);
  }

  /** `stateless`: RFC 3261 §8.2.7, as far as the transaction allows (see respondStatelessly). */
  #send(transaction: ServerTransaction, response: SipResponse, stateless = false): void {
    const sent = stateless
      ? transaction.respondStatelessly(response)
      : transaction.respond(response);
    if (sent) this.#deps.metrics.responseSent(response.status);
  }

  #logFailure(error: unknown, request: SipRequest, reply: Reply): void {
    const fields = { err: error, method: request.method, callId: request.callId };
    const { logger } = this.#deps;
    if (reply.outcome === "upstream-unavailable")
      logger.warn(fields, "auth or location unavailable");
    else if (reply.outcome === "internal-error") logger.error(fields, "request failed");
    else logger.debug(fields, "request refused");
  }
}
