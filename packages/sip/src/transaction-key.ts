// Matching messages to transactions: RFC 3261 §17.1.3 for client transactions and
// §17.2.3 for server transactions, including the RFC 2543 fallback for requests
// whose branch lacks the magic cookie, ACK matched to its INVITE, and the CANCEL
// → INVITE lookup of §9.2.

import type { NameAddr, SipMessage, SipRequest, SipResponse, Via } from "./message.js";
import { defaultPort } from "./transport-address.js";

/** RFC 3261 §8.1.1.7: branches of RFC 3261 elements start with this. */
export const MAGIC_COOKIE = "z9hG4bK";

// Fields of a key are joined with LF, which no parsed header value or URI contains.
const SEPARATOR = "\n";

export function hasMagicCookie(via: Via | undefined): boolean {
  return via?.branch?.startsWith(MAGIC_COOKIE) ?? false;
}

/**
 * RFC 3261 §17.1.3: a response matches the client transaction whose request had
 * the same top Via branch and the same CSeq method. For a request, the key of the
 * client transaction it creates. Undefined without a branch.
 */
export function clientTransactionKey(message: SipMessage): string | undefined {
  const branch = message.vias[0]?.branch;
  if (!branch) return undefined;
  // RFC 3261 §7.3.1: parameter values compare case-insensitively.
  return [branch.toLowerCase(), message.cseq.method].join(SEPARATOR);
}

/**
 * The key of the server transaction a request belongs to (RFC 3261 §17.2.3). An ACK
 * gets its INVITE's key; a CANCEL gets a key of its own. Undefined without a Via.
 * For an ACK under the RFC 2543 fallback use ackKeys: its To tag may differ.
 */
export function serverTransactionKey(request: SipRequest): string | undefined {
  return serverKey(
    request,
    request.method === "ACK" ? "INVITE" : request.method,
    tagOf(request.to),
  );
}

/** RFC 3261 §9.2: the key of the INVITE server transaction a CANCEL cancels. */
export function cancelledInviteKey(cancel: SipRequest): string | undefined {
  return serverKey(cancel, "INVITE", tagOf(cancel.to));
}

/**
 * The keys under which the INVITE server transaction of an ACK may be filed.
 * RFC 2543 fallback (§17.2.3): the ACK carries the To tag of the response, which
 * the INVITE lacked unless it was sent within a dialog — so both are tried, and
 * the caller checks ackMatchesResponse on what it finds.
 */
export function ackKeys(ack: SipRequest): string[] {
  const withTag = serverTransactionKey(ack);
  if (withTag === undefined) return [];
  if (hasMagicCookie(ack.vias[0]) || tagOf(ack.to) === undefined) return [withTag];
  const withoutTag = serverKey(ack, "INVITE", undefined);
  return withoutTag === undefined ? [withTag] : [withTag, withoutTag];
}

/**
 * RFC 3261 §17.2.3: with the magic cookie an ACK matches by key alone; under the
 * RFC 2543 fallback its To tag must also equal that of the response the server
 * transaction sent.
 */
export function ackMatchesResponse(ack: SipRequest, response: SipResponse | undefined): boolean {
  if (hasMagicCookie(ack.vias[0])) return true;
  return response !== undefined && tagOf(response.to) === tagOf(ack.to);
}

function serverKey(
  request: SipRequest,
  method: string,
  to: string | undefined,
): string | undefined {
  const via = request.vias[0];
  if (!via) return undefined;
  if (hasMagicCookie(via)) {
    // RFC 3261 §17.2.3: branch, sent-by and method. The sent-by port defaults per
    // transport, so "host" and "host:5060" over UDP are the same sender.
    const sentBy = `${via.host}:${via.port ?? defaultPort(via.transport)}`;
    return [(via.branch ?? "").toLowerCase(), sentBy, method].join(SEPARATOR);
  }
  // RFC 3261 §17.2.3, RFC 2543 fallback: Request-URI, To tag, From tag, Call-ID, CSeq
  // and top Via of the request that created the transaction.
  return [
    "rfc2543",
    request.uriText,
    to ?? "",
    tagOf(request.from) ?? "",
    request.callId,
    request.cseq.seq,
    method,
    viaIdentity(via),
  ].join(SEPARATOR);
}

/**
 * The top Via as it identifies the sender. `received` and `rport` are left out: the
 * receiving transport stamps them (RFC 3261 §18.2.1, RFC 3581) and they say nothing
 * about which request this is.
 */
function viaIdentity(via: Via): string {
  const params = [...via.params]
    .filter(([name]) => name !== "received" && name !== "rport")
    .map(([name, value]) => (value === null ? name : `${name}=${value}`))
    .sort();
  const sentBy = `${via.host}:${via.port ?? defaultPort(via.transport)}`;
  return [`${via.protocol}/${via.transport}`, sentBy, ...params].join(";");
}

function tagOf(address: NameAddr): string | undefined {
  return address.params.get("tag") ?? undefined;
}
