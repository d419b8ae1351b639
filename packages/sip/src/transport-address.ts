// Transport addressing shared by the transports, the transaction layer and the proxy:
// where a datagram came from, where a message goes, and the response routing rules
// of RFC 3261 §18.2.2 with the symmetric-response extension of RFC 3581 §4.

import { isIP } from "node:net";
import type { Via } from "./message.js";

export type TransportProtocol = "UDP" | "TCP";

/** Where a message is sent to or came from. Hosts are IP literals without brackets. */
export interface Destination {
  readonly transport: TransportProtocol;
  readonly host: string;
  readonly port: number;
}

/** RFC 3261 §19.1.2: 5060 for sip over UDP/TCP, 5061 over TLS. */
export function defaultPort(transport: string): number {
  return transport.toUpperCase() === "TLS" ? 5061 : 5060;
}

/** "[2001:db8::1]" → "2001:db8::1"; other hosts unchanged. */
export function stripBrackets(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/** "2001:db8::1" → "[2001:db8::1]" for use in a Via or URI; other hosts unchanged. */
export function hostForUri(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** Parameters to add to the top Via of a received request. */
export interface ViaReceivedParams {
  readonly received: string | undefined;
  readonly rport: number | undefined;
}

/**
 * RFC 3261 §18.2.1: the server transport adds `received` when the sent-by host differs
 * from the packet's source address. RFC 3581 §4: when the request carries an empty
 * `rport`, the server fills it with the source port and always adds `received`.
 * Returns undefined when the Via needs no change.
 */
export function viaReceivedParams(via: Via, source: Destination): ViaReceivedParams | undefined {
  const wantsRport = via.rport === null;
  const hostDiffers = stripBrackets(via.host) !== source.host;
  if (!wantsRport && !hostDiffers) return undefined;
  return {
    received: wantsRport || hostDiffers ? source.host : undefined,
    rport: wantsRport ? source.port : undefined,
  };
}

/**
 * Where to send a response, from the top Via of the request it answers
 * (RFC 3261 §18.2.2, RFC 3581 §4). Reliable transports reuse the connection, which
 * the caller knows best; this function answers for the unreliable case and for a
 * reliable one whose connection is gone.
 */
export function responseDestination(via: Via): Destination | undefined {
  const transport: TransportProtocol = via.transport === "UDP" ? "UDP" : "TCP";
  const maddr = via.params.get("maddr");
  // RFC 3261 §18.2.2: with maddr, send to that address (multicast), port from sent-by.
  if (maddr) {
    return { transport, host: stripBrackets(maddr), port: via.port ?? defaultPort(via.transport) };
  }
  // RFC 3581 §4: rport with a value — send to received:rport.
  if (typeof via.rport === "number" && via.received !== undefined) {
    return { transport, host: stripBrackets(via.received), port: via.rport };
  }
  // RFC 3261 §18.2.2: with received, send to that address, port from sent-by.
  const host = via.received ?? via.host;
  if (isIP(stripBrackets(host)) === 0) return undefined;
  return { transport, host: stripBrackets(host), port: via.port ?? defaultPort(via.transport) };
}

/** "udp:203.0.113.5:5062" — the form stored as a binding's received address. */
export function formatDestination(destination: Destination): string {
  return `${destination.transport.toLowerCase()}:${hostForUri(destination.host)}:${destination.port}`;
}

/** Inverse of formatDestination; undefined for anything else. */
export function parseDestination(text: string): Destination | undefined {
  const match = /^(udp|tcp):(\[[0-9a-fA-F:.]+\]|[^:[\]]+):(\d{1,5})$/i.exec(text);
  if (!match) return undefined;
  const port = Number(match[3]);
  const host = stripBrackets(match[2] ?? "");
  if (port < 1 || port > 65535 || isIP(host) === 0) return undefined;
  return { transport: (match[1] ?? "").toUpperCase() as TransportProtocol, host, port };
}
