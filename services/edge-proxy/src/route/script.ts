// The routing script: the seed's ser.cfg `route`, `route[1]`, `route[2]` and `route[3]`
// as TypeScript, with the RFCs' corrections (407 for proxy challenges, 403 for check_to)
// and no open relay: a request from a local caller is authenticated whatever its method
// and destination, and only an authenticated local caller reaches foreign domains.
// CANCEL and ACK are handled by the proxy core before any script runs.

import {
  CONTINUE,
  type RequestContext,
  type RouteDeps,
  reply,
  type StepResult,
} from "./context.js";
import {
  checkFrom,
  checkTo,
  consumeCredentials,
  proxyAuthorize,
  proxyChallenge,
  wwwAuthorize,
  wwwChallenge,
} from "./steps-auth.js";
import { lookupAliases, lookupLocation, tRelay } from "./steps-location.js";
import { save } from "./steps-registrar.js";
import { looseRoute, recordRoute } from "./steps-routing.js";
import { checkMessageLength, detectLoop, mfProcessMaxfwdHeader } from "./steps-sanity.js";

const SANITY_CHECKS = [mfProcessMaxfwdHeader, checkMessageLength, detectLoop];

/** Methods this proxy serves or relays, for OPTIONS (RFC 3261 §11.2). */
const ALLOW =
  "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, PRACK, UPDATE, INFO, MESSAGE, SUBSCRIBE, NOTIFY, REFER";

const stopped = (result: StepResult): boolean => result.action !== "continue";

/** seed `route`: sanity checks, record-route, loose-route, then by call type. */
export async function mainRoute(ctx: RequestContext, deps: RouteDeps): Promise<StepResult> {
  // Sanity Check Section.
  for (const check of SANITY_CHECKS) {
    const result = check(ctx, deps);
    if (stopped(result)) return result;
  }
  // Record Route Section.
  recordRoute(ctx);
  // Loose Route Section: a request routed through this proxy goes where its Route says.
  const routed = looseRoute(ctx, deps.identity);
  // No open relay: an in-dialog request on a Route this proxy did not sign is refused.
  if (routed === "forged") return reply("bad-route");
  if (routed === "relay") {
    // The dialog was authorized when it was set up (its Route is signed); a preloaded
    // Route on a new request is a foreign destination like any other.
    return ctx.inDialog ? tRelay(ctx) : foreignRoute(ctx, deps);
  }
  if (ctx.inDialog) return inDialogRoute(ctx, deps);
  // Call Type Processing Section.
  if (!isForThisProxy(ctx, deps)) return foreignRoute(ctx, deps);
  if (isOptionsForProxy(ctx)) return reply("options", optionsHeaders());
  if (ctx.request.method === "REGISTER") return registerRoute(ctx, deps);
  return localRoute(ctx, deps);
}

/** seed route[2]: REGISTER handler. */
export async function registerRoute(ctx: RequestContext, deps: RouteDeps): Promise<StepResult> {
  // seed note ⓬: 100 Trying stops UDP retransmissions while auth and location answer —
  // sent only if they are slow to answer (RFC 4320 §4.1, see ProxyCore).
  ctx.sendProvisional({ outcome: "trying" });
  const verdict = await wwwAuthorize(ctx, deps);
  if (!verdict.ok) return wwwChallenge(ctx, deps, verdict);
  const toChecked = checkTo(ctx, deps);
  if (stopped(toChecked)) return toChecked;
  consumeCredentials(ctx);
  return save(ctx, deps);
}

/**
 * seed route[3] (INVITE handler), for every method: authorize a local caller, then
 * aliases and location.
 */
export async function localRoute(ctx: RequestContext, deps: RouteDeps): Promise<StepResult> {
  const authorized = await authorizeLocalCaller(ctx, deps);
  if (stopped(authorized)) return authorized;
  return locationRoute(ctx, deps);
}

/**
 * seed `uri!=myself → route(1)`, without the open relay: only an authenticated local
 * caller is relayed to a foreign destination.
 */
export async function foreignRoute(ctx: RequestContext, deps: RouteDeps): Promise<StepResult> {
  const authorized = await authorizeLocalCaller(ctx, deps);
  if (stopped(authorized)) return authorized;
  if (ctx.user === undefined) return reply("relaying-denied");
  return tRelay(ctx);
}

/**
 * An in-dialog request without this proxy's Route: served when it names a local user
 * (the dialog was set up without Record-Route), else 404 as in Kamailio's default script.
 */
export function inDialogRoute(
  ctx: RequestContext,
  deps: RouteDeps,
): Promise<StepResult> | StepResult {
  if (ctx.uri.user !== undefined && isForThisProxy(ctx, deps)) return locationRoute(ctx, deps);
  return reply("not-here");
}

/**
 * seed route[3] steps 21-25: a caller in one of our domains must prove who they are
 * (407 challenge) and may only call as themselves (403 "Use From=ID"); the credentials
 * are not forwarded. Callers from other domains pass unauthenticated.
 */
async function authorizeLocalCaller(ctx: RequestContext, deps: RouteDeps): Promise<StepResult> {
  if (!deps.identity.isMyself(ctx.request.from.uri)) return CONTINUE;
  const verdict = await proxyAuthorize(ctx, deps);
  if (!verdict.ok) return proxyChallenge(ctx, deps, verdict);
  const fromChecked = checkFrom(ctx, deps);
  if (stopped(fromChecked)) return fromChecked;
  return consumeCredentials(ctx);
}

/** seed 26-28: aliases, then location, then t_relay. */
async function locationRoute(ctx: RequestContext, deps: RouteDeps): Promise<StepResult> {
  await lookupAliases(ctx, deps);
  // An alias for an AOR of another domain: relay there.
  if (!deps.identity.isMyself(ctx.uri)) return tRelay(ctx);
  return lookupLocation(ctx, deps);
}

/**
 * seed `uri==myself`, and no Route left to follow (RFC 3261 §16.4: a Route not naming
 * this proxy is where the request goes next).
 */
function isForThisProxy(ctx: RequestContext, deps: RouteDeps): boolean {
  return ctx.routes.length === 0 && deps.identity.isMyself(ctx.uri);
}

/** OPTIONS to the proxy itself (no user part) is answered here (RFC 3261 §11). */
function isOptionsForProxy(ctx: RequestContext): boolean {
  return ctx.request.method === "OPTIONS" && ctx.uri.user === undefined;
}

function optionsHeaders() {
  return [
    { name: "Allow", value: ALLOW },
    { name: "Accept", value: "application/sdp" },
  ];
}
