// What the route script works on: the request as received, the changes the steps
// decide on for the forwarded copy (RFC 3261 §16.6), and what each step returns.

import type { Aor, LookupContact, QopOffer } from "@switchboard/contracts";
import type { Logger } from "@switchboard/kit";
import {
  type Destination,
  getRoutes,
  type HeaderField,
  type NameAddr,
  type SipRequest,
  type SipUri,
} from "@switchboard/sip";
import type { LocalIdentity } from "../local-identity.js";
import type { Upstream } from "../upstream.js";
import type { ReplyOutcome } from "./replies.js";

/** The subscriber whose credentials were verified (auth.v1.verify). */
export interface AuthenticatedUser {
  readonly username: string;
  readonly domain: string;
}

/** One destination of a relayed request: a registered contact, or the Request-URI as it stands. */
export interface RelayTarget {
  /** The Request-URI of the copy (RFC 3261 §16.6 step 2). */
  readonly uri: string;
  /** Send here instead of resolving the URI: where the registration came from (NAT). */
  readonly received?: Destination | undefined;
  /** RFC 3327 §5.3: the registration's Path, pushed as Route values. */
  readonly path?: readonly string[] | undefined;
}

/** An answer made up by this proxy: an outcome of the reply table, maybe with extras. */
export interface Reply {
  readonly outcome: ReplyOutcome;
  /** Replaces the table's reason phrase (e.g. location's message for 400). */
  readonly reason?: string;
  readonly headers?: readonly HeaderField[];
  /**
   * RFC 3261 §8.2.7: sent as a stateless UAS would, keeping no transaction state (for the
   * challenges to unauthenticated requests, §26.1.5).
   */
  readonly stateless?: boolean;
}

/** What a step of the script decides. */
export type StepResult =
  | { readonly action: "continue" }
  | { readonly action: "reply"; readonly reply: Reply }
  | { readonly action: "relay"; readonly targets: readonly RelayTarget[] };

export const CONTINUE: StepResult = { action: "continue" };

export function reply(
  outcome: ReplyOutcome,
  headers?: readonly HeaderField[],
  reason?: string,
): StepResult {
  return { action: "reply", reply: { outcome, headers, reason } };
}

export function relay(targets: readonly RelayTarget[]): StepResult {
  return { action: "relay", targets };
}

/** location.v1.lookup of one AOR, asked before lookup("location") needs it. */
export interface ContactsAhead {
  readonly aor: Aor;
  readonly contacts: Promise<readonly LookupContact[]>;
}

/** The credentials that authenticated the request, as written. */
export interface VerifiedCredentials {
  readonly header: "Authorization" | "Proxy-Authorization";
  readonly value: string;
}

export interface RequestContextOptions {
  /** The request as received, Via `received`/`rport` stamped. */
  readonly request: SipRequest;
  /** Size of the datagram in bytes. */
  readonly size: number;
  /** Where the request came from. */
  readonly source: Destination;
  /** Sends a provisional answer at once. */
  readonly sendProvisional: (reply: Reply) => void;
}

export class RequestContext {
  readonly request: SipRequest;
  /** Size of the request as received, in bytes (seed `msg:len`). */
  readonly size: number;
  readonly source: Destination;
  /** The Request-URI as it stands: strict-route handling and aliases rewrite it. */
  uri: SipUri;
  uriText: string;
  /** The Route set the copy carries, topmost first; loose_route removes ours. */
  routes: readonly NameAddr[];
  /** Routes differ from the request's: the copy gets them rewritten. */
  routesChanged = false;
  /** Max-Forwards of the forwarded copy (RFC 3261 §16.6 step 3), set by the first step. */
  maxForwards = 70;
  /** RFC 3261 §16.6 step 4: the copy gets this proxy's Record-Route. */
  recordRoute = false;
  /** Set by www_authorize / proxy_authorize once credentials verified. */
  user: AuthenticatedUser | undefined;
  credentials: VerifiedCredentials | undefined;
  /** seed consume_credentials(): the copy goes without `credentials` (other realms' stay). */
  consumeCredentials = false;
  /** Asked by lookup("aliases"); lookup("location") uses it if the AOR is still the same. */
  contactsAhead: ContactsAhead | undefined;
  /** Sends a provisional answer at once (seed note ⓬); the script goes on. */
  readonly sendProvisional: (reply: Reply) => void;

  /** @throws SipParseError when the Route header is malformed. */
  constructor(options: RequestContextOptions) {
    const { request } = options;
    this.request = request;
    this.size = options.size;
    this.source = options.source;
    this.uri = request.uri;
    this.uriText = request.uriText;
    this.routes = getRoutes(request);
    this.sendProvisional = options.sendProvisional;
  }

  /** RFC 3261 §12: a request with a To tag belongs to a dialog. */
  get inDialog(): boolean {
    return this.request.to.params.has("tag");
  }

  setRequestUri(uri: SipUri, uriText: string): void {
    this.uri = uri;
    this.uriText = uriText;
  }

  setRoutes(routes: readonly NameAddr[]): void {
    this.routes = routes;
    this.routesChanged = true;
  }
}

/** What the steps need besides the request. */
export interface RouteDeps {
  readonly identity: LocalIdentity;
  readonly upstream: Upstream;
  /** MAX_FORWARDS_LIMIT. */
  readonly maxForwardsLimit: number;
  /** MAX_MESSAGE_BYTES (seed max_len). */
  readonly maxMessageBytes: number;
  /** AUTH_QOP. */
  readonly qop: QopOffer;
  /** Where the steps log what an operator acts on, such as failed authentications. */
  readonly logger: Logger;
}
