// The seed's authentication steps: www_authorize/www_challenge (registrar, 401),
// proxy_authorize/proxy_challenge (proxy, 407), check_to, check_from and
// consume_credentials. Digest maths and nonces live in the auth service; this module
// picks the credentials, asks auth.v1.verify, and writes challenges it gets from
// auth.v1.challenge.

import type { AuthFailureReason } from "@switchboard/contracts";
import {
  DigestParseError,
  type NameAddr,
  parseDigestCredentials,
  type SipRequest,
} from "@switchboard/sip";
import type { LocalIdentity } from "../local-identity.js";
import {
  CONTINUE,
  type RequestContext,
  type RouteDeps,
  reply,
  type StepResult,
  type VerifiedCredentials,
} from "./context.js";

/** How an authorization attempt ended: authorized, or why not. */
export type AuthVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: AuthFailureReason };

type CredentialsHeader = VerifiedCredentials["header"];

const DIGEST_SCHEME = /^\s*digest\s/i;

/**
 * The credentials of `header` meant for `realm` (RFC 3261 §22.3: a request may carry
 * credentials for several proxies), "malformed" when none is and a Digest value does not
 * parse, undefined when there are none for this realm.
 */
function credentialsFor(
  request: SipRequest,
  header: CredentialsHeader,
  realm: string,
): string | "malformed" | undefined {
  let malformed = false;
  for (const value of request.headerValues(header)) {
    try {
      if (parseDigestCredentials(value).realm === realm) return value;
    } catch (error) {
      if (!(error instanceof DigestParseError)) throw error;
      malformed ||= DIGEST_SCHEME.test(value);
    }
  }
  return malformed ? "malformed" : undefined;
}

/**
 * One line per failed authentication, with the user tried and the source address, so that
 * an operator sees password guessing and a log watcher (fail2ban) can block its source. A
 * stale nonce is not a failure: the phone answers the new challenge with the same password.
 */
function logFailure(
  ctx: RequestContext,
  deps: RouteDeps,
  credentials: string,
  realm: string,
  reason: AuthFailureReason,
): void {
  if (reason === "stale-nonce") return;
  const { host, port } = ctx.source;
  deps.logger.info(
    {
      user: parseDigestCredentials(credentials).username,
      realm,
      method: ctx.request.method,
      ip: host,
      port,
      reason,
    },
    "authentication failed",
  );
}

async function authorize(
  ctx: RequestContext,
  deps: RouteDeps,
  header: CredentialsHeader,
  realm: string,
): Promise<AuthVerdict> {
  const value = credentialsFor(ctx.request, header, realm);
  if (value === undefined) return { ok: false, reason: "no-credentials" };
  if (value === "malformed") return { ok: false, reason: "malformed" };
  const { request } = ctx;
  // RFC 7616 §3.4.3: qop=auth-int hashes the body; auth needs it only when offered.
  const body =
    deps.qop === "auth,auth-int" && request.body.length > 0
      ? request.body.toString("base64")
      : undefined;
  const result = await deps.upstream.verify({
    authorization: value,
    method: request.method,
    realm,
    requestUri: request.uriText,
    ...(body === undefined ? {} : { body }),
  });
  if (!result.ok) {
    logFailure(ctx, deps, value, realm, result.reason);
    return result;
  }
  ctx.user = { username: result.username, domain: result.domain };
  ctx.credentials = { header, value };
  return { ok: true };
}

/** The registrar's realm: the domain of the AOR in To, else of the Request-URI (this proxy). */
function registrarRealm(ctx: RequestContext, identity: LocalIdentity): string {
  return (
    identity.canonicalDomain(ctx.request.to.uri) ??
    identity.canonicalDomain(ctx.uri) ??
    identity.defaultDomain
  );
}

/** The proxy's realm: the domain of the caller in From (only asked of local callers). */
function proxyRealm(ctx: RequestContext, identity: LocalIdentity): string {
  return identity.canonicalDomain(ctx.request.from.uri) ?? identity.defaultDomain;
}

/** seed ⓭ www_authorize("", "subscriber"): Authorization for the AOR's domain. */
export function wwwAuthorize(ctx: RequestContext, deps: RouteDeps): Promise<AuthVerdict> {
  return authorize(ctx, deps, "Authorization", registrarRealm(ctx, deps.identity));
}

/** seed 21 proxy_authorize("", "subscriber"): Proxy-Authorization for the caller's domain. */
export function proxyAuthorize(ctx: RequestContext, deps: RouteDeps): Promise<AuthVerdict> {
  return authorize(ctx, deps, "Proxy-Authorization", proxyRealm(ctx, deps.identity));
}

async function challenge(
  ctx: RequestContext,
  deps: RouteDeps,
  verdict: Extract<AuthVerdict, { ok: false }>,
  proxy: boolean,
): Promise<StepResult> {
  // Credentials that are not Digest syntax cannot be fixed by a new challenge.
  if (verdict.reason === "malformed") return reply("malformed-credentials");
  const realm = proxy ? proxyRealm(ctx, deps.identity) : registrarRealm(ctx, deps.identity);
  // RFC 7616 §3.3: stale=true tells the UA its password was right, only the nonce expired.
  // Unknown users and wrong passwords get the same challenge: nobody learns which users exist.
  const values = await deps.upstream.challenge({
    realm,
    qop: deps.qop,
    proxy,
    ...(verdict.reason === "stale-nonce" ? { stale: true } : {}),
  });
  const name = proxy ? "Proxy-Authenticate" : "WWW-Authenticate";
  const headers = values.map((value) => ({ name, value }));
  // RFC 3261 §8.2.7: a challenge keeps no transaction state, so that a flood of
  // unauthenticated requests leaves nothing behind; a retransmission is challenged anew.
  // An INVITE has had its 100 Trying: its transaction then answers statefully, and its
  // retransmissions (Timer G) make up for a lost 407.
  const outcome = proxy ? "proxy-authentication-required" : "unauthorized";
  return { action: "reply", reply: { outcome, headers, stateless: true } };
}

/** seed ⓮ www_challenge("", "0"): 401 with WWW-Authenticate (RFC 3261 §22.1). */
export function wwwChallenge(
  ctx: RequestContext,
  deps: RouteDeps,
  verdict: Extract<AuthVerdict, { ok: false }>,
): Promise<StepResult> {
  return challenge(ctx, deps, verdict, false);
}

/** seed 22 proxy_challenge("", "0"): 407 with Proxy-Authenticate (RFC 3261 §22.3). */
export function proxyChallenge(
  ctx: RequestContext,
  deps: RouteDeps,
  verdict: Extract<AuthVerdict, { ok: false }>,
): Promise<StepResult> {
  return challenge(ctx, deps, verdict, true);
}

/** The header's user is the authenticated user, in the same canonical domain. */
function namesUser(ctx: RequestContext, address: NameAddr, identity: LocalIdentity): boolean {
  const { user } = ctx;
  return (
    user !== undefined &&
    address.uri.user === user.username &&
    identity.canonicalDomain(address.uri) === user.domain
  );
}

/** seed 16-17 check_to(): the AOR registered is the authenticated user's (else 403). */
export function checkTo(ctx: RequestContext, deps: RouteDeps): StepResult {
  return namesUser(ctx, ctx.request.to, deps.identity) ? CONTINUE : reply("to-mismatch");
}

/** seed 23-24 check_from(): the caller is the authenticated user (else 403 "Use From=ID"). */
export function checkFrom(ctx: RequestContext, deps: RouteDeps): StepResult {
  return namesUser(ctx, ctx.request.from, deps.identity) ? CONTINUE : reply("from-mismatch");
}

/**
 * seed 18/25 consume_credentials(): the credentials this proxy verified are not
 * forwarded (credentials for other realms are, RFC 3261 §22.3).
 */
export function consumeCredentials(ctx: RequestContext): StepResult {
  ctx.consumeCredentials = ctx.credentials !== undefined;
  return CONTINUE;
}
