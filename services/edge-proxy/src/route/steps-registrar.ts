// The seed's save("location") (RFC 3261 §10.3): the REGISTER becomes a location.v1.save
// request, and location's answer becomes 200 with the bindings, or a refusal.

import type {
  Binding,
  LocationSaveRequest,
  LocationSaveResponse,
  SaveContact,
} from "@switchboard/contracts";
import {
  type Destination,
  formatDestination,
  getContacts,
  getExpires,
  getPath,
  type HeaderField,
  type NameAddr,
  stripBrackets,
} from "@switchboard/sip";
import type { LocalIdentity } from "../local-identity.js";
import { type RequestContext, type RouteDeps, reply, type StepResult } from "./context.js";

const MAX_USER_AGENT = 255;
const SURROUNDING_QUOTES = /^"|"$/g;

/** The text with control characters (a tab, say) as spaces: the contract takes one line. */
function singleLine(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out += code < 0x20 || code === 0x7f ? " " : text[i];
  }
  return out.trim();
}

/** One Contact as location takes it; its parameters were checked by the parser. */
function saveContact(contact: NameAddr): SaveContact {
  const { params } = contact;
  const expires = params.get("expires");
  const q = params.get("q");
  const instance = params.get("+sip.instance");
  const regId = params.get("reg-id");
  return {
    uri: contact.uriText,
    ...(expires == null ? {} : { expires: Math.min(Number(expires), 2 ** 32 - 1) }),
    ...(q == null ? {} : { q: Number(q) }),
    // RFC 5626 §4.1: the value is a quoted string; location keeps it without the quotes.
    ...(instance == null ? {} : { instance: instance.replace(SURROUNDING_QUOTES, "") }),
    ...(regId == null ? {} : { regId: Number(regId) }),
  };
}

/** The REGISTER came from elsewhere than the Contact says: a NAT is in between (RFC 3581). */
function isBehindNat(contacts: readonly NameAddr[], source: Destination): boolean {
  return contacts.some(
    ({ uri }) => stripBrackets(uri.host) !== source.host || (uri.port ?? 5060) !== source.port,
  );
}

/** The location.v1.save request for an authenticated REGISTER whose To is `aor`. */
export function saveRequest(
  ctx: RequestContext,
  identity: LocalIdentity,
  aor: { username: string; domain: string },
): LocationSaveRequest {
  const { request, source } = ctx;
  const contactList = getContacts(request);
  const contacts = contactList === undefined ? [] : contactList.star ? "*" : contactList.contacts;
  const headerExpires = getExpires(request);
  // RFC 3327 §5.3: Path values are kept as written; getPath checks they parse (else 400).
  getPath(request);
  const path = request.headerValues("Path");
  const userAgentHeader = request.header("User-Agent");
  const userAgent = userAgentHeader === undefined ? undefined : singleLine(userAgentHeader);
  return {
    aor,
    contacts: contacts === "*" ? "*" : contacts.map(saveContact),
    ...(headerExpires === undefined ? {} : { headerExpires }),
    callId: request.callId,
    cseq: request.cseq.seq,
    ...(contacts !== "*" && isBehindNat(contacts, source)
      ? { received: formatDestination(source) }
      : {}),
    ...(path.length === 0 ? {} : { path }),
    ...(userAgent ? { userAgent: userAgent.slice(0, MAX_USER_AGENT) } : {}),
    socket: formatDestination({
      transport: "UDP",
      host: identity.advertisedHost,
      port: identity.advertisedPort,
    }),
  };
}

/** A binding as a Contact of the 200 OK (RFC 3261 §10.3 step 8: with its expires). */
function contactOf(binding: Binding): HeaderField {
  let value = `<${binding.uri}>;expires=${binding.expires}`;
  if (binding.q !== 1) value += `;q=${Number(binding.q.toFixed(3))}`;
  // RFC 5626 §6: the registrar echoes the instance and reg-id of outbound bindings.
  if (binding.instance !== undefined) value += `;+sip.instance="${binding.instance}"`;
  if (binding.regId !== undefined) value += `;reg-id=${binding.regId}`;
  return { name: "Contact", value };
}

/** location's answer as the REGISTER's final response. */
export function registerReply(response: LocationSaveResponse, now: Date): StepResult {
  if (response.ok) {
    const headers = response.bindings.map(contactOf);
    // RFC 3261 §10.3 step 8: the 200 SHOULD carry a Date header.
    headers.push({ name: "Date", value: now.toUTCString() });
    return reply("registered", headers);
  }
  switch (response.reason) {
    case "interval-too-brief":
      return reply("interval-too-brief", [
        { name: "Min-Expires", value: String(response.minExpires) },
      ]);
    case "out-of-order":
      return reply("out-of-order");
    case "too-many-contacts":
      return reply("too-many-contacts");
    case "invalid":
      return reply("invalid-register", [], response.message);
  }
}

/** seed 19 save("location"): apply the REGISTER to the AOR of its To header. */
export async function save(ctx: RequestContext, deps: RouteDeps): Promise<StepResult> {
  const { user } = ctx;
  // check_to ran before: the AOR in To is the authenticated user's.
  if (user === undefined) return reply("to-mismatch");
  const response = await deps.upstream.save(saveRequest(ctx, deps.identity, user));
  return registerReply(response, new Date());
}
