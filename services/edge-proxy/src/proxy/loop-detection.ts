// Loop detection (RFC 3261 §16.6 step 8, §16.3 step 4). The branch of every request
// this proxy forwards carries, after the magic cookie and a marker, a hash of the fields
// that decide how the request is routed. When a request comes back with a Via of ours
// whose hash equals the hash of the request as it arrives now, nothing that matters
// changed on the way: a loop. A changed field (a spiral) gives another hash.

import { createHash } from "node:crypto";
import { MAGIC_COOKIE, newBranch, type SipRequest } from "@switchboard/sip";
import type { LocalIdentity } from "../local-identity.js";

/** Marks branches this proxy made, so their hash part can be found again. */
const MARKER = `${MAGIC_COOKIE}sb`;
const HASH_LENGTH = 16;

/**
 * RFC 3261 §16.6 step 8: a hash of To tag, From tag, Call-ID, the Request-URI as
 * received, the CSeq number, and the Route and Proxy-Require fields. Two fields the RFC
 * lists are left out: the topmost Via, because it names the previous hop and so differs
 * each time a looping request comes back through another element; and
 * Proxy-Authorization, because this proxy removes its own realm's credentials before
 * forwarding, so a looping request returns without them.
 */
export function loopHash(request: SipRequest): string {
  const hash = createHash("md5");
  hash.update(request.uriText);
  hash.update(`\n${request.to.params.get("tag") ?? ""}\n${request.from.params.get("tag") ?? ""}`);
  hash.update(`\n${request.callId}\n${request.cseq.seq}`);
  for (const route of request.headerValues("Route")) hash.update(`\nR${route}`);
  for (const require of request.headerValues("Proxy-Require")) hash.update(`\nP${require}`);
  return hash.digest("hex").slice(0, HASH_LENGTH);
}

/** A branch unique to one forwarded copy that carries `hash` (RFC 3261 §8.1.1.7). */
export function branchWithLoopHash(hash: string): string {
  return `${MARKER}${hash}.${newBranch().slice(MAGIC_COOKIE.length)}`;
}

/** The hash part of a branch this proxy made; undefined for any other branch. */
export function loopHashOf(branch: string | undefined): string | undefined {
  if (branch === undefined || !branch.startsWith(MARKER)) return undefined;
  const end = MARKER.length + HASH_LENGTH;
  return branch.charCodeAt(end) === 0x2e ? branch.slice(MARKER.length, end) : undefined;
}

/**
 * RFC 3261 §16.3 step 4: true when the request carries a Via of this proxy whose hash
 * part equals the hash of the request now — it has been here before, unchanged. The
 * hash is computed only for requests that carry one of our Vias.
 */
export function isLooping(request: SipRequest, identity: LocalIdentity): boolean {
  let hash: string | undefined;
  for (const via of request.vias) {
    const previous = identity.isOwnVia(via) ? loopHashOf(via.branch) : undefined;
    if (previous === undefined) continue;
    hash ??= loopHash(request);
    if (previous === hash) return true;
  }
  return false;
}
