// Header field names: case-insensitive comparison and compact forms
// (RFC 3261 §7.3.1, §7.3.3; the IANA "Header Fields" registry for the rest).
import { isToken } from "./text-chars.js";

/** Compact form → full name, lower case. */
const COMPACT_FORMS: ReadonlyMap<string, string> = new Map([
  ["a", "accept-contact"],
  ["b", "referred-by"],
  ["c", "content-type"],
  ["d", "request-disposition"],
  ["e", "content-encoding"],
  ["f", "from"],
  ["i", "call-id"],
  ["j", "reject-contact"],
  ["k", "supported"],
  ["l", "content-length"],
  ["m", "contact"],
  ["n", "identity-info"],
  ["o", "event"],
  ["r", "refer-to"],
  ["s", "subject"],
  ["t", "to"],
  ["u", "allow-events"],
  ["v", "via"],
  ["x", "session-expires"],
  ["y", "identity"],
]);

/**
 * Headers that are not comma-separated lists (RFC 3261 §7.3.1): their values are
 * never split on commas, either because they hold one value or because the value
 * itself contains commas (credentials, challenges, dates, free text).
 */
const NOT_LISTS: ReadonlySet<string> = new Set([
  "authentication-info",
  "authorization",
  "call-id",
  "content-disposition",
  "content-length",
  "content-type",
  "cseq",
  "date",
  "event",
  "expires",
  "from",
  "identity",
  "identity-info",
  "max-forwards",
  "mime-version",
  "min-expires",
  "min-se",
  "organization",
  "priority",
  "proxy-authenticate",
  "proxy-authorization",
  "rack",
  "refer-to",
  "referred-by",
  "replaces",
  "reply-to",
  "retry-after",
  "rseq",
  "server",
  "session-expires",
  "subject",
  "subscription-state",
  "timestamp",
  "to",
  "user-agent",
  "www-authenticate",
]);

const WELL_KNOWN = [
  "Accept",
  "Accept-Encoding",
  "Accept-Language",
  "Alert-Info",
  "Allow",
  "Allow-Events",
  "Authorization",
  "Call-ID",
  "Call-Info",
  "Contact",
  "Content-Disposition",
  "Content-Encoding",
  "Content-Language",
  "Content-Length",
  "Content-Type",
  "CSeq",
  "Date",
  "Error-Info",
  "Event",
  "Expires",
  "From",
  "In-Reply-To",
  "Max-Forwards",
  "Min-Expires",
  "MIME-Version",
  "Organization",
  "P-Asserted-Identity",
  "Path",
  "Priority",
  "Proxy-Authenticate",
  "Proxy-Authorization",
  "Proxy-Require",
  "Record-Route",
  "Reply-To",
  "Require",
  "Retry-After",
  "Route",
  "Server",
  "Session-Expires",
  "Subject",
  "Supported",
  "Timestamp",
  "To",
  "Unsupported",
  "User-Agent",
  "Via",
  "Warning",
  "WWW-Authenticate",
];

/** Spellings seen so far → key; bounded so that odd names cannot grow it without limit. */
const KEY_CACHE = new Map<string, string>();
const KEY_CACHE_LIMIT = 2048;

for (const name of WELL_KNOWN) {
  KEY_CACHE.set(name, name.toLowerCase());
  KEY_CACHE.set(name.toLowerCase(), name.toLowerCase());
}
for (const [compact, full] of COMPACT_FORMS) {
  KEY_CACHE.set(compact, full);
  KEY_CACHE.set(compact.toUpperCase(), full);
}

/**
 * The comparison key of a header name: the full name in lower case ("v" and
 * "VIA" both give "via"). undefined when `name` is not a token.
 */
export function headerKey(name: string): string | undefined {
  const common = commonSpellingKey(name);
  if (common !== undefined) return common;
  const cached = KEY_CACHE.get(name);
  if (cached !== undefined) return cached;
  if (!isToken(name)) return undefined;
  const lower = name.toLowerCase();
  const key = COMPACT_FORMS.get(lower) ?? lower;
  if (KEY_CACHE.size < KEY_CACHE_LIMIT) KEY_CACHE.set(name, key);
  return key;
}

/**
 * The names nearly every message has, as phones write them: comparing with
 * the few literals of the same length is quicker than hashing each freshly
 * sliced name for a Map lookup.
 */
function commonSpellingKey(name: string): string | undefined {
  switch (name.length) {
    case 2:
      return name === "To" ? "to" : undefined;
    case 3:
      return name === "Via" ? "via" : undefined;
    case 4:
      if (name === "From") return "from";
      return name === "CSeq" ? "cseq" : undefined;
    case 5:
      if (name === "Route") return "route";
      return name === "Allow" ? "allow" : undefined;
    case 7:
      if (name === "Call-ID") return "call-id";
      if (name === "Contact") return "contact";
      return name === "Expires" ? "expires" : undefined;
    case 9:
      return name === "Supported" ? "supported" : undefined;
    case 10:
      return name === "User-Agent" ? "user-agent" : undefined;
    case 12:
      if (name === "Max-Forwards") return "max-forwards";
      if (name === "Content-Type") return "content-type";
      return name === "Record-Route" ? "record-route" : undefined;
    case 13:
      return name === "Authorization" ? "authorization" : undefined;
    case 14:
      return name === "Content-Length" ? "content-length" : undefined;
    case 19:
      return name === "Proxy-Authorization" ? "proxy-authorization" : undefined;
    default:
      return undefined;
  }
}

/** headerKey for names given by callers: never undefined, invalid names simply match nothing. */
export function lookupKey(name: string): string {
  return headerKey(name) ?? name.toLowerCase();
}

/** True when values of this header may be combined into a comma-separated list. */
export function isListHeader(key: string): boolean {
  return !NOT_LISTS.has(key);
}
