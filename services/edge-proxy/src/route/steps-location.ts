// The seed's lookup("aliases") and lookup("location"), and t_relay's choice of targets.

import { formatUri, hostForUri, parseDestination, parseUri } from "@switchboard/sip";
import {
  CONTINUE,
  type RelayTarget,
  type RequestContext,
  type RouteDeps,
  relay,
  reply,
  type StepResult,
} from "./context.js";

/** The AOR a Request-URI naming this proxy stands for; undefined for other URIs. */
function aorOf(
  ctx: RequestContext,
  deps: RouteDeps,
): { username: string; domain: string } | undefined {
  const username = ctx.uri.user;
  const domain = deps.identity.canonicalDomain(ctx.uri);
  return username === undefined || domain === undefined ? undefined : { username, domain };
}

/**
 * seed 26 lookup("aliases"): when the Request-URI is an alias, it is rewritten to the
 * AOR the alias stands for (user and host; the port goes, URI parameters stay).
 * lookup("location") nearly always follows for the same AOR (few URIs are aliases), so the
 * AOR's contacts are asked for at the same time: both requests go to location in one NATS
 * write, and the contacts are at hand when the alias is known.
 */
export async function lookupAliases(ctx: RequestContext, deps: RouteDeps): Promise<StepResult> {
  const aor = aorOf(ctx, deps);
  if (aor === undefined) return CONTINUE;
  const contacts = deps.upstream.lookup(aor);
  // Awaited by lookup("location"), or never needed (an alias, a 503): never unhandled.
  contacts.catch(() => {});
  ctx.contactsAhead = { aor, contacts };
  const target = await deps.upstream.resolveAlias(aor);
  if (target === null) return CONTINUE;
  const uriText = formatUri({
    ...ctx.uri,
    user: target.username,
    password: undefined,
    host: hostForUri(target.domain),
    port: undefined,
  });
  ctx.setRequestUri(parseUri(uriText), uriText);
  return CONTINUE;
}

/**
 * seed 27 lookup("location"): the registered contacts of the Request-URI's AOR become
 * the relay targets, highest q first (RFC 3261 §16.6); none: 404 User Not Found.
 */
export async function lookupLocation(ctx: RequestContext, deps: RouteDeps): Promise<StepResult> {
  const aor = aorOf(ctx, deps);
  if (aor === undefined) return reply("user-not-found");
  const ahead = ctx.contactsAhead;
  const asked =
    ahead !== undefined && ahead.aor.username === aor.username && ahead.aor.domain === aor.domain;
  const contacts = await (asked ? ahead.contacts : deps.upstream.lookup(aor));
  if (contacts.length === 0) return reply("user-not-found");
  return relay(
    contacts.map(
      (contact): RelayTarget => ({
        uri: contact.uri,
        received: contact.received === undefined ? undefined : parseDestination(contact.received),
        path: contact.path,
      }),
    ),
  );
}

/**
 * seed route[1] t_relay() towards the Request-URI as it stands (no lookup). Without a
 * Route to follow, only a sip or sips Request-URI can be sent anywhere (RFC 3261 §16.6
 * step 1: 416 for schemes the proxy does not understand).
 */
export function tRelay(ctx: RequestContext): StepResult {
  if (ctx.routes.length === 0 && ctx.uri.scheme !== "sip" && ctx.uri.scheme !== "sips") {
    return reply("unsupported-uri-scheme");
  }
  return relay([{ uri: ctx.uriText }]);
}
