// The seed's record-route and loose-route sections (RFC 3261 §16.4, §16.6 step 4).

import type { SipUri } from "@switchboard/sip";
import type { LocalIdentity } from "../local-identity.js";
import type { RequestContext } from "./context.js";

/**
 * seed record_route(): the forwarded copy of a dialog-initiating request other than
 * REGISTER gets this proxy's Record-Route, so that the dialog's later requests come
 * through here (RFC 3261 §16.6 step 4). In-dialog requests keep the route set they have.
 */
export function recordRoute(ctx: RequestContext): void {
  ctx.recordRoute = !ctx.inDialog && ctx.request.method !== "REGISTER";
}

/** A URI this proxy wrote into a Record-Route: no user part, our address, `lr`. */
function isOwnRecordRoute(uri: SipUri, identity: LocalIdentity): boolean {
  return uri.user === undefined && uri.params.has("lr") && identity.isMyself(uri);
}

/**
 * seed loose_route() (RFC 3261 §16.4). When the Request-URI is a URI this proxy put in a
 * Record-Route, the previous hop was a strict router: the last Route value becomes the
 * Request-URI and leaves the Route set. Then a topmost Route naming this proxy is removed.
 * True when either happened and the request now has somewhere else to go (a Route left,
 * or a Request-URI that is not this proxy); the request is then relayed as it stands.
 */
export function looseRoute(ctx: RequestContext, identity: LocalIdentity): boolean {
  let routes = ctx.routes;
  const last = routes[routes.length - 1];
  const strict = last !== undefined && isOwnRecordRoute(ctx.uri, identity);
  if (strict) {
    ctx.setRequestUri(last.uri, last.uriText);
    routes = routes.slice(0, -1);
  }
  const top = routes[0];
  const popped = top !== undefined && identity.isMyself(top.uri);
  if (popped) routes = routes.slice(1);
  if (!strict && !popped) return false;
  ctx.setRoutes(routes);
  return routes.length > 0 || !identity.isMyself(ctx.uri);
}
