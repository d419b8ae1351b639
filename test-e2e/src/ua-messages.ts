// Message helpers of the test user agent: predicates over received messages, the SDP
// offer/answer bodies, and where a request goes from its Route set (RFC 3261 §12.2.1.1).

import {
  formatNameAddr,
  type NameAddr,
  type SipMessage,
  type SipRequest,
  type SipResponse,
  type SipUri,
} from "@switchboard/sip";
import type { SipAddress } from "./stack.js";

export const isRequest = (message: SipMessage): message is SipRequest => message.kind === "request";
export const isResponse = (message: SipMessage): message is SipResponse =>
  message.kind === "response";

/** A request of `method` in the dialog or call identified by `callId`. */
export function requestIn(callId: string, method: string) {
  return (message: SipMessage): message is SipRequest =>
    isRequest(message) && message.method === method && message.callId === callId;
}

/** A response of the transaction whose request has top Via `branch` and CSeq `method`. */
export function responseTo(request: SipRequest) {
  const branch = request.vias[0]?.branch;
  const method = request.cseq.method;
  return (message: SipMessage): message is SipResponse =>
    isResponse(message) && message.vias[0]?.branch === branch && message.cseq.method === method;
}

/** A minimal SDP body (RFC 4566) so INVITE and 200 OK look like a real call. */
export function sdpBody(address: SipAddress, sessionId: number): Buffer {
  return Buffer.from(
    [
      "v=0",
      `o=- ${sessionId} ${sessionId} IN IP4 ${address.host}`,
      "s=-",
      `c=IN IP4 ${address.host}`,
      "t=0 0",
      `m=audio ${address.port + 2} RTP/AVP 0`,
      "a=rtpmap:0 PCMU/8000",
      "",
    ].join("\r\n"),
  );
}

/** The address a URI designates on loopback: IP literals as written; "localhost" is 127.0.0.1. */
export function uriAddress(uri: SipUri): SipAddress {
  const host = uri.host === "localhost" ? "127.0.0.1" : uri.host.replace(/^\[|\]$/g, "");
  if (!/^[0-9.]+$|:/.test(host)) throw new RangeError(`the test UA needs an IP address: ${host}`);
  return { host, port: uri.port ?? 5060 };
}

/** Where an in-dialog request goes and what it carries, from the dialog's route set. */
export interface DialogRouting {
  readonly requestUri: string;
  /** Route header values, in order. */
  readonly routes: readonly string[];
  readonly destination: SipAddress;
}

/**
 * RFC 3261 §12.2.1.1: with an empty route set the request goes to the remote target; when
 * the first route is a loose router (`lr`), the Request-URI is the remote target and the
 * Route set is sent as is; else (strict router) the first route becomes the Request-URI and
 * the remote target is appended as the last Route.
 */
export function dialogRouting(
  routeSet: readonly NameAddr[],
  remoteTarget: NameAddr,
): DialogRouting {
  const first = routeSet[0];
  if (first === undefined) {
    return {
      requestUri: remoteTarget.uriText,
      routes: [],
      destination: uriAddress(remoteTarget.uri),
    };
  }
  const routes = routeSet.map((route) => formatNameAddr(route));
  if (first.uri.params.has("lr")) {
    return { requestUri: remoteTarget.uriText, routes, destination: uriAddress(first.uri) };
  }
  return {
    requestUri: first.uriText,
    routes: [...routes.slice(1), `<${remoteTarget.uriText}>`],
    destination: uriAddress(first.uri),
  };
}
