// The copy of a request this proxy forwards to one target (RFC 3261 §16.6 steps 1-8),
// and where it goes first. Every field the steps do not change goes out as received.

import {
  type Destination,
  editMessage,
  formatNameAddr,
  type MessageEditor,
  type NameAddr,
  parseNameAddr,
  type SipRequest,
  type SipUri,
  type Via,
} from "@switchboard/sip";
import type { RelayTarget, VerifiedCredentials } from "../route/context.js";

/** What the route script decided about the copies (a RequestContext is one). */
export interface ForwardPlan {
  readonly request: SipRequest;
  /** The Route set after loose_route, topmost first. */
  readonly routes: readonly NameAddr[];
  readonly routesChanged: boolean;
  readonly maxForwards: number;
  readonly recordRoute: boolean;
  readonly credentials: VerifiedCredentials | undefined;
  readonly consumeCredentials: boolean;
}

/** Where a copy goes: a URI to resolve (RFC 3263), or a known transport address. */
export type NextHop = { readonly uri: SipUri } | { readonly address: Destination };

export interface ForwardedCopy {
  readonly request: SipRequest;
  readonly nextHop: NextHop;
}

interface Route {
  readonly value: NameAddr;
  readonly text: string;
}

/** seed consume_credentials(): the verified credentials go, other realms' stay (§22.3). */
function removeCredentials(
  editor: MessageEditor<SipRequest>,
  request: SipRequest,
  credentials: VerifiedCredentials,
): void {
  const { header, value } = credentials;
  const kept = request.headerValues(header).filter((other) => other !== value);
  editor.removeHeaders(header);
  for (const other of kept) editor.addHeader(header, other);
}

/** RFC 3261 §16.6 step 7: the first Route, else the registration's source, else the Request-URI. */
function nextHopOf(copy: SipRequest, route: Route | undefined, target: RelayTarget): NextHop {
  if (route !== undefined) return { uri: route.value.uri };
  if (target.received !== undefined) return { address: target.received };
  return { uri: copy.uri };
}

/**
 * The copy of `plan.request` for `target`, with `via` on top and `recordRoute` (when
 * given) as this proxy's Record-Route:
 * - RFC 3261 §16.6 step 2: the target is the Request-URI;
 * - RFC 3327 §5.3: a registration's Path goes on top of the Route set;
 * - §16.6 step 7: before a strict router (a first Route without `lr`), the Request-URI
 *   moves to the end of the Route set and that Route becomes the Request-URI;
 * - steps 3, 4, 8: Max-Forwards, Record-Route, Via; consumed credentials removed.
 * The next hop is the first Route, else the target's received address, else the
 * Request-URI (a strict router's, when there is one).
 * @throws SipParseError when the target URI or a Path value does not parse.
 */
export function forwardedCopy(
  plan: ForwardPlan,
  target: RelayTarget,
  via: Via,
  recordRoute: string | undefined,
): ForwardedCopy {
  const { request } = plan;
  const path: Route[] = (target.path ?? []).map((text) => ({ value: parseNameAddr(text), text }));
  let routes: Route[] = [
    ...path,
    ...plan.routes.map((value) => ({ value, text: formatNameAddr(value) })),
  ];
  let rewriteRoutes = plan.routesChanged || path.length > 0;
  let uriText = target.uri;
  const first = routes[0];
  const strict = first !== undefined && !first.value.uri.params.has("lr");
  if (strict) {
    const text = `<${uriText}>`;
    routes = [...routes.slice(1), { value: parseNameAddr(text), text }];
    uriText = first.value.uriText;
    rewriteRoutes = true;
  }

  const editor = editMessage(request);
  if (uriText !== request.uriText) editor.setRequestUri(uriText);
  if (rewriteRoutes) {
    if (routes.length === 0) editor.removeHeaders("Route");
    else editor.setHeader("Route", routes.map((route) => route.text).join(", "));
  }
  // RFC 3261 §16.6 step 3: Max-Forwards as the script decided (decremented, capped).
  editor.setMaxForwards(plan.maxForwards);
  if (plan.consumeCredentials && plan.credentials !== undefined) {
    removeCredentials(editor, request, plan.credentials);
  }
  if (recordRoute !== undefined) editor.addRecordRoute(recordRoute);
  editor.pushVia(via);
  const copy = editor.toMessage();

  // §16.6 step 7: a strict router is now the Request-URI, and the next hop.
  return {
    request: copy,
    nextHop: strict ? { uri: copy.uri } : nextHopOf(copy, routes[0], target),
  };
}
