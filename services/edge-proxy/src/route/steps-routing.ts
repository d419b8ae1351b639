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

/**
 * What loose_route found: `relay` — a Route of ours was consumed and the request goes on
 * as it stands; `continue` — the script decides (no Route of ours, or ours and the request
 * is now for this proxy); `forged` — an in-dialog request names this proxy in its Route
 * without the signature this proxy's Record-Route has for its dialog.
 */
export type LooseRouteResult = "relay" | "continue" | "forged";

/** A URI this proxy wrote into a Record-Route: no user part, our address, `lr`. */
function isOwnRecordRoute(uri: SipUri, identity: LocalIdentity): boolean {
  return uri.user === undefined && uri.params.has("lr") && identity.isMyself(uri);
}

/**
 * seed loose_route() (RFC 3261 §16.4). When the Request-URI is a URI this proxy put in a
 * Record-Route, the previous hop was a strict router: the last Route value becomes the
 * Request-URI and leaves the Route set. Then a topmost Route naming this proxy is removed.
 * `relay` when either happened and the request now has somewhere else to go (a Route
 * left, or a Request-URI that is not this proxy).
 */
export function looseRoute(ctx: RequestContext, identity: LocalIdentity): LooseRouteResult {
  // No open relay: an in-dialog request is relayed along our Route without authentication
  // (the dialog was authorized when it was set up), so a Route or strict-routed
  // Request-URI naming this proxy counts as ours only when it carries the signature this
  // proxy's Record-Route has for the request's Call-ID. Anyone can make up a To tag.
  const { callId } = ctx.request;
  const signedIfNeeded = (uri: SipUri) => !ctx.inDialog || identity.isSignedRoute(uri, callId);
  let routes = ctx.routes;
  const last = routes[routes.length - 1];
  const strict = last !== undefined && isOwnRecordRoute(ctx.uri, identity);
  if (strict) {
    if (!signedIfNeeded(ctx.uri)) return "forged";
    routes = routes.slice(0, -1);
  }
  const top = routes[0];
  const popped = top !== undefined && identity.isMyself(top.uri);
  if (popped) {
    if (!signedIfNeeded(top.uri)) return "forged";
    routes = routes.slice(1);
  }
  if (!strict && !popped) return "continue";
  if (strict && last !== undefined) ctx.setRequestUri(last.uri, last.uriText);
  ctx.setRoutes(routes);
  return routes.length > 0 || !identity.isMyself(ctx.uri) ? "relay" : "continue";
}
