// Where a forwarded request is sent: the transport address of its next hop (RFC 3263
// reduced to what a UDP-only proxy needs: maddr, else the host's A record, port from
// the URI or 5060). IP literals are used as they are, without a lookup.

import { isIP } from "node:net";
import { type Destination, stripBrackets } from "@switchboard/sip";
import type { NextHop } from "./forward-request.js";

/** Resolves a host name to one IP address. */
export type HostResolver = (host: string) => Promise<string>;

/** The next hop has no address this proxy can send to. */
export class UnresolvableNextHopError extends Error {
  override readonly name = "UnresolvableNextHopError";
}

function destination(host: string, port: number): Destination {
  return { transport: "UDP", host, port };
}

/**
 * The transport address of `nextHop`: at once when it is known or an IP literal, else
 * after asking `resolveHost`.
 * @throws UnresolvableNextHopError (or rejects with it) for a URI that cannot be sent to.
 */
export function resolveNextHop(
  nextHop: NextHop,
  resolveHost: HostResolver,
): Destination | Promise<Destination> {
  if ("address" in nextHop) return nextHop.address;
  const { uri } = nextHop;
  if (uri.scheme !== "sip" && uri.scheme !== "sips") {
    throw new UnresolvableNextHopError(`cannot send to a ${uri.scheme} URI`);
  }
  // RFC 3261 §19.1.1: maddr overrides the host.
  const host = stripBrackets(uri.params.get("maddr") ?? uri.host);
  const port = uri.port ?? (uri.scheme === "sips" ? 5061 : 5060);
  if (isIP(host) !== 0) return destination(host, port);
  return resolveHost(host).then(
    (address) => destination(address, port),
    (error: unknown) => {
      throw new UnresolvableNextHopError(`cannot resolve ${host}`, { cause: error });
    },
  );
}
