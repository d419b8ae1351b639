// The registrar rules of RFC 3261 §10.3 steps 6–8 (with RFC 5626 flows and RFC 3327 Path)
// as a pure function: the current bindings of one AOR and a REGISTER in, the new bindings
// (or a refusal) out. Nothing here stores anything; the caller applies the outcome.

import type {
  LocationSaveRequest,
  LocationSaveResponse,
  SaveContact,
} from "@switchboard/contracts";
import { isLive, type StoredBinding } from "./binding.js";
import { contactKey } from "./contact-key.js";

export interface RegistrarLimits {
  /** RFC 3261 §10.3 step 7: shorter non-zero intervals are refused with 423. */
  readonly minExpires: number;
  /** Longer intervals are shortened to this. */
  readonly maxExpires: number;
  /** RFC 3261 §10.2.1.1: used when neither the contact nor the request says. */
  readonly defaultExpires: number;
  readonly maxContacts: number;
}

/** The part of a save request the rules look at (the AOR is the caller's business). */
export type RegisterRequest = Omit<LocationSaveRequest, "aor">;

export type RegisterRefusal = Extract<LocationSaveResponse, { ok: false }>;

export interface RegisterChanges {
  /** Bindings created or rewritten by the request. */
  readonly upserts: readonly StoredBinding[];
  /** ruids of stored bindings that no longer exist (removed or found expired). */
  readonly removals: readonly string[];
}

export type RegisterOutcome =
  | ({ readonly ok: true; readonly bindings: readonly StoredBinding[] } & RegisterChanges)
  | RegisterRefusal;

interface ResolvedContact {
  readonly contact: SaveContact;
  readonly key: string;
  readonly expires: number;
}

const invalid = (message: string): RegisterRefusal => ({ ok: false, reason: "invalid", message });
const OUT_OF_ORDER: RegisterRefusal = { ok: false, reason: "out-of-order" };

// RFC 3261 §10.3 step 7: a binding is updated only by a REGISTER with the same Call-ID and a
// higher CSeq, or by one with a different Call-ID.
function isOutOfOrder(stored: StoredBinding, request: RegisterRequest): boolean {
  return stored.callId === request.callId && request.cseq <= stored.cseq;
}

function resolveContacts(
  contacts: readonly SaveContact[],
  request: RegisterRequest,
  limits: RegistrarLimits,
): ResolvedContact[] | RegisterRefusal {
  const resolved: ResolvedContact[] = [];
  for (const contact of contacts) {
    const key = contactKey(contact.uri);
    if (key === undefined) return invalid("malformed Contact URI");
    if (contact.q !== undefined && !(contact.q >= 0 && contact.q <= 1)) {
      return invalid("q must be between 0 and 1");
    }
    // RFC 3261 §10.2.1.1: the Contact's expires parameter, else the Expires header, else
    // the registrar's default.
    const requested = contact.expires ?? request.headerExpires ?? limits.defaultExpires;
    // RFC 3261 §10.3 step 7: a non-zero interval below the minimum is refused with 423
    // carrying Min-Expires; one above the maximum is shortened.
    if (requested > 0 && requested < limits.minExpires) {
      return { ok: false, reason: "interval-too-brief", minExpires: limits.minExpires };
    }
    resolved.push({ contact, key, expires: Math.min(requested, limits.maxExpires) });
  }
  return resolved;
}

/**
 * RFC 3261 §10.3 step 8 and RFC 5626 §6: a contact with `+sip.instance` is the same binding
 * as a stored one of the same instance and reg-id (the new flow replaces the old one);
 * otherwise contacts are the same binding when their URIs are equal (§19.1.4).
 */
function findBinding(bindings: readonly StoredBinding[], target: ResolvedContact): number {
  const { instance, regId } = target.contact;
  if (instance !== undefined) {
    return bindings.findIndex((b) => b.instance === instance && b.regId === (regId ?? null));
  }
  return bindings.findIndex((b) => b.instance === null && contactKey(b.contact) === target.key);
}

function bindingFor(
  target: ResolvedContact,
  request: RegisterRequest,
  ruid: string,
  now: number,
): StoredBinding {
  return {
    ruid,
    contact: target.contact.uri,
    expiresAt: now + target.expires * 1000,
    q: target.contact.q ?? 1,
    callId: request.callId,
    cseq: request.cseq,
    received: request.received ?? null,
    path: request.path !== undefined && request.path.length > 0 ? request.path : null,
    userAgent: request.userAgent ?? null,
    socket: request.socket ?? null,
    instance: target.contact.instance ?? null,
    regId: target.contact.regId ?? null,
    lastModified: now,
  };
}

function changesBetween(
  current: readonly StoredBinding[],
  next: readonly StoredBinding[],
): RegisterChanges {
  const before = new Set(current);
  const kept = new Set(next.map((binding) => binding.ruid));
  return {
    upserts: next.filter((binding) => !before.has(binding)),
    removals: current.filter((binding) => !kept.has(binding.ruid)).map((b) => b.ruid),
  };
}

/**
 * Applies a REGISTER to the bindings of one AOR: all of it or, when any rule refuses it,
 * none of it. `newRuid` names the bindings it creates; `now` is ms since the epoch.
 */
export function applyRegister(
  current: readonly StoredBinding[],
  request: RegisterRequest,
  now: number,
  limits: RegistrarLimits,
  newRuid: () => string,
): RegisterOutcome {
  // An expired binding no longer exists (§10.3 step 8); it is dropped whatever the request.
  const live = current.filter((binding) => isLive(binding, now));

  if (request.contacts === "*") {
    // RFC 3261 §10.3 step 6: "*" is valid only with an Expires header of zero (the contract
    // already carries it as the only Contact value).
    if (request.headerExpires !== 0) return invalid("Contact: * requires Expires: 0");
    if (live.some((binding) => isOutOfOrder(binding, request))) return OUT_OF_ORDER;
    return { ok: true, bindings: [], ...changesBetween(current, []) };
  }
  // RFC 3261 §10.2.3: a REGISTER without Contact only asks for the current bindings.
  if (request.contacts.length === 0) {
    return { ok: true, bindings: live, ...changesBetween(current, live) };
  }

  const resolved = resolveContacts(request.contacts, request, limits);
  if (!Array.isArray(resolved)) return resolved;

  const next = live.slice();
  // Bindings this request already wrote: a second Contact for the same binding in one
  // request is not a replay of an older request.
  const written = new Set<string>();
  for (const target of resolved) {
    const index = findBinding(next, target);
    const existing = index === -1 ? undefined : next[index];
    if (existing !== undefined && !written.has(existing.ruid) && isOutOfOrder(existing, request)) {
      return OUT_OF_ORDER;
    }
    if (target.expires === 0) {
      // RFC 3261 §10.3 step 8: an expiration of zero removes the binding.
      if (index !== -1) next.splice(index, 1);
      continue;
    }
    const binding = bindingFor(target, request, existing?.ruid ?? newRuid(), now);
    if (index === -1) next.push(binding);
    else next[index] = binding;
    written.add(binding.ruid);
  }

  if (next.length > limits.maxContacts && next.length > live.length) {
    return { ok: false, reason: "too-many-contacts", max: limits.maxContacts };
  }
  return { ok: true, bindings: next, ...changesBetween(current, next) };
}
