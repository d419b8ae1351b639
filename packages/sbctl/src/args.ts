// Addresses as an operator types them: `1000`, `1000@example.com`, `sip:1000@example.com`.
// A subscriber and an address-of-record are both (username, domain); domains are stored
// lower-cased because they compare case-insensitively (RFC 3261 §19.1.4).

import { isIPv6 } from "node:net";
import type { Aor } from "@switchboard/contracts";

/** Thrown when a command-line argument is not a valid user, domain or AOR. */
export class ArgumentError extends Error {
  override name = "ArgumentError";
}

const USERNAME_MAX_CHARS = 64;
const DOMAIN_MAX_CHARS = 253;
// RFC 3261 §25.1 hostname (an IPv4address matches it too).
const HOSTNAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
const WHITESPACE_OR_CONTROL = /[\s\p{Cc}]/u;

/**
 * A username as the admin APIs accept it: 1..64 printable characters without whitespace.
 * Quotes, `;`, `%` and the like are plain data.
 * @throws {@link ArgumentError} otherwise.
 */
export function checkUsername(username: string): string {
  if (username.length === 0) throw new ArgumentError("the user name is empty");
  if ([...username].length > USERNAME_MAX_CHARS) {
    throw new ArgumentError(`the user name is longer than ${USERNAME_MAX_CHARS} characters`);
  }
  if (WHITESPACE_OR_CONTROL.test(username)) {
    throw new ArgumentError("the user name contains whitespace or control characters");
  }
  return username;
}

/**
 * A domain (hostname, IPv4 address or bracketed IPv6 reference), lower-cased.
 * @throws {@link ArgumentError} otherwise.
 */
export function normalizeDomain(domain: string): string {
  const lower = domain.toLowerCase();
  if (lower.length === 0) throw new ArgumentError("the domain is empty");
  if (lower.length > DOMAIN_MAX_CHARS) {
    throw new ArgumentError(`the domain is longer than ${DOMAIN_MAX_CHARS} characters`);
  }
  const isIpv6Reference = lower.startsWith("[") && lower.endsWith("]");
  if (isIpv6Reference ? !isIPv6(lower.slice(1, -1)) : !HOSTNAME.test(lower)) {
    throw new ArgumentError(`not a domain name or IP address: ${domain}`);
  }
  return lower;
}

/**
 * `user` or `user@domain`; without a domain, `defaultDomain`. The last `@` separates the
 * domain, so a user name may itself contain `@`.
 */
export function parseUserAddress(text: string, defaultDomain: string): Aor {
  const at = text.lastIndexOf("@");
  if (at === -1) return { username: checkUsername(text), domain: normalizeDomain(defaultDomain) };
  return {
    username: checkUsername(text.slice(0, at)),
    domain: normalizeDomain(text.slice(at + 1)),
  };
}

/**
 * An address-of-record: `user`, `user@domain` or a `sip:`/`sips:` URI. From a URI only the
 * user and host count: parameters and headers are dropped and the user part is unescaped
 * (RFC 3261 §19.1.4 compares user parts after unescaping). A URI with a port is refused, as
 * an AOR names a user at a domain, not at a transport address.
 */
export function parseAorArgument(text: string, defaultDomain: string): Aor {
  const scheme = /^sips?:/i.exec(text);
  if (scheme === null) return parseUserAddress(text, defaultDomain);
  return parseSipUriAor(text.slice(scheme[0].length), text);
}

function parseSipUriAor(rest: string, original: string): Aor {
  // RFC 3261 §25.1: `@` appears neither in uri-parameters nor in headers, and the user part
  // may contain `;` and `?`, so the last `@` is the end of the userinfo.
  const at = rest.lastIndexOf("@");
  if (at === -1) throw new ArgumentError(`the URI names no user: ${original}`);
  const user = rest.slice(0, at).split(":", 1)[0] ?? "";
  const hostport = (rest.slice(at + 1).split(/[;?]/, 1)[0] ?? "").trim();
  const portAt = hostport.startsWith("[") ? hostport.indexOf("]:") + 1 : hostport.indexOf(":");
  if (portAt > 0) throw new ArgumentError(`an AOR has no port: ${original}`);
  return { username: checkUsername(unescapeUser(user)), domain: normalizeDomain(hostport) };
}

function unescapeUser(user: string): string {
  try {
    return decodeURIComponent(user);
  } catch (error) {
    throw new ArgumentError("the user part of the URI has an invalid %-escape", { cause: error });
  }
}

/** `username@domain`, the way every message and table shows an address. */
export function formatAddress(aor: Aor): string {
  return `${aor.username}@${aor.domain}`;
}
