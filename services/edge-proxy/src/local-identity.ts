// Who this proxy is: SER's `myself` (the domains it serves and the addresses it is
// reached at), the canonical domain of a URI naming it, and the address it writes in
// Via, Record-Route and Path.

import { hostForUri, type SipUri, stripBrackets, type Via } from "@switchboard/sip";
import { isWildcardAddress } from "./config.js";
import { ROUTE_SIGNATURE_PARAM, RouteSigner } from "./route-signature.js";

export interface LocalIdentityOptions {
  /** The address the SIP socket is bound to (an IP literal, maybe a wildcard). */
  readonly listenHost: string;
  /** The port the SIP socket is bound to. */
  readonly listenPort: number;
  /** Host written in Via and Record-Route (name or IP; IPv6 without brackets). */
  readonly advertisedHost: string;
  readonly advertisedPort: number;
  /** Served domains, lower case; the first is the default domain. */
  readonly domains: readonly string[];
  /** Write `;lr=on` instead of `;lr` (ENABLE_FULL_LR). */
  readonly fullLr: boolean;
  /** ROUTE_SECRET: signs this proxy's Record-Route, the same on every instance. */
  readonly routeSecret: string;
}

const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"];

function isLoopbackAddress(host: string): boolean {
  return host === "::1" || host.startsWith("127.");
}

/** A host as it appears in a parsed URI or Via: lower case, IPv6 in brackets. */
function uriHost(host: string): string {
  return hostForUri(stripBrackets(host.toLowerCase()));
}

export class LocalIdentity {
  readonly defaultDomain: string;
  readonly advertisedHost: string;
  readonly advertisedPort: number;
  /** The sent-by host of this proxy's Via (RFC 3261 §16.6 step 8). */
  readonly viaHost: string;
  /** Served domains by their URI host form, to the domain as configured. */
  readonly #domains: ReadonlyMap<string, string>;
  readonly #hosts: ReadonlySet<string>;
  readonly #ports: ReadonlySet<number>;
  /** `<sip:host:port;lr;sbd=`: the Record-Route value up to its signature. */
  readonly #recordRoutePrefix: string;
  readonly #signer: RouteSigner;

  constructor(options: LocalIdentityOptions) {
    const [first] = options.domains;
    if (first === undefined) throw new RangeError("at least one SIP domain is needed");
    this.defaultDomain = first;
    this.#domains = new Map(options.domains.map((domain) => [uriHost(domain), domain]));
    this.advertisedHost = stripBrackets(options.advertisedHost.toLowerCase());
    this.advertisedPort = options.advertisedPort;
    this.viaHost = uriHost(options.advertisedHost);
    const hosts = new Set([...this.#domains.keys(), this.viaHost]);
    const { listenHost } = options;
    if (!isWildcardAddress(listenHost)) hosts.add(uriHost(listenHost));
    if (isWildcardAddress(listenHost) || isLoopbackAddress(listenHost)) {
      for (const host of LOOPBACK_HOSTS) hosts.add(host);
    }
    this.#hosts = hosts;
    this.#ports = new Set([options.listenPort, options.advertisedPort]);
    const lr = options.fullLr ? "lr=on" : "lr";
    this.#recordRoutePrefix = `<sip:${this.viaHost}:${this.advertisedPort};${lr};${ROUTE_SIGNATURE_PARAM}=`;
    this.#signer = new RouteSigner(options.routeSecret);
  }

  /**
   * `<sip:host:port;lr;sbd=…>`: this proxy's Record-Route value (RFC 3261 §16.6 step 4) for
   * a request of the dialog `callId`, signed for that dialog (see isSignedRoute).
   */
  recordRoute(callId: string): string {
    return `${this.#recordRoutePrefix}${this.#signer.sign(callId)}>`;
  }

  /**
   * True when `uri` carries the signature this proxy's Record-Route has for the dialog
   * `callId`: only such a Route may take an in-dialog request through here unauthenticated.
   */
  isSignedRoute(uri: SipUri, callId: string): boolean {
    return this.#signer.verify(callId, uri.params.get(ROUTE_SIGNATURE_PARAM));
  }

  /**
   * SER's `uri == myself`: a sip or sips URI whose host is a served domain or one of this
   * proxy's addresses, with no port or one of ours.
   */
  isMyself(uri: SipUri): boolean {
    if (uri.scheme !== "sip" && uri.scheme !== "sips") return false;
    if (!this.#hosts.has(uri.host)) return false;
    return uri.port === undefined || this.#ports.has(uri.port);
  }

  /**
   * The domain an AOR naming this proxy belongs to: the host when it is a served domain,
   * else the default domain (a phone registering `sip:1000@127.0.0.1` is user 1000 of the
   * default domain). Undefined when the URI does not name this proxy.
   */
  canonicalDomain(uri: SipUri): string | undefined {
    if (!this.isMyself(uri)) return undefined;
    return this.#domains.get(uri.host) ?? this.defaultDomain;
  }

  /** True for a Via this proxy wrote: its sent-by is our advertised address. */
  isOwnVia(via: Via): boolean {
    return via.host === this.viaHost && (via.port ?? 5060) === this.advertisedPort;
  }
}
