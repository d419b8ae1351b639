// The identity of a binding's contact address: two Contact URIs get the same key when a
// registrar must treat them as the same binding (RFC 3261 §10.3 step 8, §19.1.4).

// RFC 3261 §19.1.4: a user, ttl, method or maddr parameter present in only one URI never
// matches, so these take part in the key. `transport` is also keyed: a UA registering one
// address over two transports keeps two flows rather than having one overwrite the other.
const SIGNIFICANT_PARAMS = new Set(["user", "ttl", "method", "maddr", "transport"]);

// RFC 3261 §19.1.4: characters other than those in the "reserved" set are equivalent to
// their %HH encoding. Only the "unreserved" characters are decoded, so a reserved one stays
// distinct from its escape.
const UNRESERVED = /^[A-Za-z0-9\-_.!~*'()]$/;

function decodeUnreserved(text: string): string {
  return text.replace(/%([0-9A-Fa-f]{2})/g, (escaped, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : escaped.toUpperCase();
  });
}

const HOST = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-.]+)$/;

interface HostPort {
  host: string;
  port: string;
}

function splitHostPort(text: string): HostPort | undefined {
  const close = text.startsWith("[") ? text.indexOf("]") : -1;
  const colon = text.indexOf(":", close + 1);
  const host = colon === -1 ? text : text.slice(0, colon);
  const port = colon === -1 ? "" : text.slice(colon + 1);
  if (!HOST.test(host)) return undefined;
  if (port !== "" && !(/^\d{1,5}$/.test(port) && Number(port) <= 65535)) return undefined;
  return { host: host.toLowerCase(), port: port === "" ? "" : String(Number(port)) };
}

function keyedParams(text: string): string {
  const kept: string[] = [];
  for (const param of text.split(";")) {
    if (param === "") continue;
    const eq = param.indexOf("=");
    const name = (eq === -1 ? param : param.slice(0, eq)).toLowerCase();
    if (!SIGNIFICANT_PARAMS.has(name)) continue;
    // §19.1.4: parameter values compare case-insensitively unless stated otherwise.
    kept.push(eq === -1 ? name : `${name}=${decodeUnreserved(param.slice(eq + 1)).toLowerCase()}`);
  }
  return kept.sort().join(";");
}

function keyedHeaders(text: string): string {
  // §19.1.4: URI header components are never ignored; their order does not matter.
  return text
    .split("&")
    .filter((header) => header !== "")
    .map((header) => decodeUnreserved(header).toLowerCase())
    .sort()
    .join("&");
}

function sipKey(scheme: string, rest: string): string | undefined {
  const question = rest.indexOf("?");
  const beforeHeaders = question === -1 ? rest : rest.slice(0, question);
  const headers = question === -1 ? "" : keyedHeaders(rest.slice(question + 1));
  // The user part may hold ";" (user-unreserved) but neither parameters nor headers may hold
  // "@", so the last "@" ends the userinfo.
  const at = beforeHeaders.lastIndexOf("@");
  const userinfo = at === -1 ? "" : beforeHeaders.slice(0, at);
  if (at !== -1 && userinfo === "") return undefined;
  const afterUser = beforeHeaders.slice(at + 1);
  const semicolon = afterUser.indexOf(";");
  const hostport = splitHostPort(semicolon === -1 ? afterUser : afterUser.slice(0, semicolon));
  if (hostport === undefined) return undefined;
  const params = semicolon === -1 ? "" : keyedParams(afterUser.slice(semicolon + 1));
  // §19.1.4: userinfo is case-sensitive; host is not; a missing port differs from an explicit
  // default one.
  return `${scheme}:${decodeUnreserved(userinfo)}@${hostport.host}:${hostport.port};${params}?${headers}`;
}

/**
 * The binding key of a Contact URI, or `undefined` when the text is not a URI. SIP and SIPS
 * URIs are normalised per RFC 3261 §19.1.4; other schemes compare by their scheme in lower
 * case and the rest exactly.
 */
export function contactKey(uri: string): string | undefined {
  const colon = uri.indexOf(":");
  if (colon < 1) return undefined;
  const scheme = uri.slice(0, colon).toLowerCase();
  if (!/^[a-z][a-z0-9+\-.]*$/.test(scheme)) return undefined;
  const rest = uri.slice(colon + 1);
  if (rest === "" || /[\s<>"]/.test(rest)) return undefined;
  if (scheme === "sip" || scheme === "sips") return sipKey(scheme, rest);
  return `${scheme}:${rest}`;
}
