// What this proxy forwards without a transaction (RFC 3261 §16.11): the ACK for a 2xx,
// which is a transaction of its own and follows the dialog's Route set, and 2xx
// responses that arrive after their client transaction ended.

import { createHash } from "node:crypto";
import {
  createVia,
  type Destination,
  editMessage,
  MAGIC_COOKIE,
  responseDestination,
  type SipRequest,
  type SipResponse,
} from "@switchboard/sip";
import type { LocalIdentity } from "../local-identity.js";
import { RequestContext, type RouteDeps } from "../route/context.js";
import { looseRoute } from "../route/steps-routing.js";
import { mfProcessMaxfwdHeader } from "../route/steps-sanity.js";
import { forwardedCopy, type NextHop } from "./forward-request.js";
import { loopHashOf } from "./loop-detection.js";

export interface StatelessDeps {
  readonly routeDeps: RouteDeps;
  readonly resolve: (nextHop: NextHop) => Destination | Promise<Destination>;
  /** Sends bytes without a transaction; throws or rejects on failure. */
  readonly send: (data: Buffer, destination: Destination) => void;
}

/** Why a message was not forwarded. */
export type StatelessDrop = "stray-ack" | "stray-response";

/**
 * RFC 3261 §16.11: a stateless proxy's branch is the same for every retransmission of a
 * request: derived from the branch of the Via it received.
 */
function statelessBranch(request: SipRequest): string {
  const top = request.vias[0];
  const seed = `${top?.branch ?? ""}\n${top?.host ?? ""}\n${request.callId}\n${request.cseq.seq}`;
  return `${MAGIC_COOKIE}sl${createHash("md5").update(seed).digest("hex").slice(0, 20)}`;
}

export class StatelessForwarder {
  readonly #deps: StatelessDeps;
  readonly #identity: LocalIdentity;

  constructor(deps: StatelessDeps) {
    this.#deps = deps;
    this.#identity = deps.routeDeps.identity;
  }

  /**
   * An ACK no transaction absorbed: forwarded along the Route set when its topmost
   * Route is this proxy's, signed for the dialog (it was record-routed here); any other
   * ACK has nowhere to go and is dropped. Resolves to the reason when dropped.
   */
  async forwardAck(ack: SipRequest, source: Destination): Promise<StatelessDrop | undefined> {
    const ctx = new RequestContext({ request: ack, size: 0, source, sendProvisional: () => {} });
    if (mfProcessMaxfwdHeader(ctx, this.#deps.routeDeps).action !== "continue") return "stray-ack";
    // A forged Route (not signed by this proxy for the dialog) is no way forward either.
    if (looseRoute(ctx, this.#identity) !== "relay") return "stray-ack";
    const via = createVia({
      transport: "UDP",
      host: this.#identity.viaHost,
      port: this.#identity.advertisedPort,
      branch: statelessBranch(ack),
    });
    const copy = forwardedCopy(ctx, { uri: ctx.uriText }, via, undefined);
    try {
      this.#deps.send(copy.request.toBuffer(), await this.#deps.resolve(copy.nextHop));
      return undefined;
    } catch {
      return "stray-ack";
    }
  }

  /**
   * A response matching no client transaction: a 2xx to an INVITE this proxy forwarded
   * (a retransmission after the transaction ended, RFC 6026 §8.4) goes on statelessly
   * to the next Via (§16.7 step 3, §18.2.2); anything else is dropped.
   */
  forwardStrayResponse(response: SipResponse): StatelessDrop | undefined {
    const [top, next] = response.vias;
    const isSuccess = response.status >= 200 && response.status < 300;
    if (
      !isSuccess ||
      response.cseq.method !== "INVITE" ||
      top === undefined ||
      next === undefined ||
      !this.#identity.isOwnVia(top) ||
      loopHashOf(top.branch) === undefined
    ) {
      return "stray-response";
    }
    const destination = responseDestination(next);
    if (destination === undefined) return "stray-response";
    this.#deps.send(editMessage(response).popVia().toBuffer(), destination);
    return undefined;
  }
}
