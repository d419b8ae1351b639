// Request-Line and Status-Line (RFC 3261 §7.1, §7.2, §25.1).
import type { SipUri } from "./message.js";
import { fail, readingField } from "./parse-error.js";
import { isPlainSipUri } from "./parse-quick-check.js";
import { parseUri } from "./parse-uri.js";
import { isToken } from "./text-chars.js";

export type StartLineParts =
  | {
      readonly kind: "request";
      readonly method: string;
      readonly uriText: string;
      /** undefined when uriText passed isPlainSipUri: parsed on first use. */
      readonly uri: SipUri | undefined;
    }
  | { readonly kind: "response"; readonly status: number; readonly reason: string };

/** What a start line that failed to parse still told: for deciding whether to answer. */
export interface StartLineHint {
  readonly isRequest: boolean | undefined;
  readonly method: string | undefined;
}

/**
 * SIP-Version is case-insensitive (RFC 3261 §7.1). Another "SIP/x.y" gets 505
 * Version Not Supported (RFC 3261 §21.5.6); anything else is malformed.
 */
function checkVersion(version: string): void {
  if (version === "SIP/2.0") return;
  if (version.length === 7 && version.toUpperCase() === "SIP/2.0") return;
  if (/^SIP\/\d+\.\d+$/i.test(version)) fail("Version Not Supported", 505);
  fail("Bad SIP version");
}

/** Starts with "SIP/", in any case. */
function isResponseLine(line: string): boolean {
  return (
    (line.charCodeAt(0) | 0x20) === 0x73 &&
    (line.charCodeAt(1) | 0x20) === 0x69 &&
    (line.charCodeAt(2) | 0x20) === 0x70 &&
    line.charCodeAt(3) === 0x2f
  );
}

/** Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (the reason may be empty). */
function parseStatusLine(line: string): StartLineParts {
  const sp = line.indexOf(" ");
  if (sp === -1) fail("Bad status line");
  checkVersion(line.slice(0, sp));
  const code = line.slice(sp + 1, sp + 4);
  if (!/^[1-6]\d\d$/.test(code)) fail("Bad status code");
  const rest = sp + 4;
  if (rest < line.length && line.charCodeAt(rest) !== 0x20) fail("Bad status code");
  return { kind: "response", status: Number(code), reason: line.slice(rest + 1) };
}

/**
 * Request-Line = Method SP Request-URI SP SIP-Version, with exactly one SP
 * between the elements and none around them (RFC 4475 §3.1.2.11-3.1.2.13).
 */
function parseRequestLine(line: string): StartLineParts {
  const sp1 = line.indexOf(" ");
  const method = line.slice(0, sp1);
  const sp2 = line.indexOf(" ", sp1 + 1);
  if (sp2 === -1 || sp2 === sp1 + 1) fail("Bad request line");
  const version = line.slice(sp2 + 1);
  if (version.indexOf(" ") !== -1) fail("Bad request line");
  checkVersion(version);
  const uriText = line.slice(sp1 + 1, sp2);
  const uri = isPlainSipUri(line, sp1 + 1, sp2)
    ? undefined
    : readingField("Request-URI", () => parseUri(uriText));
  return { kind: "request", method, uriText, uri };
}

/** What kind of start line this is, as far as can be told before parsing it. */
export function startLineHint(line: string): StartLineHint {
  if (isResponseLine(line)) return { isRequest: false, method: undefined };
  const sp = line.indexOf(" ");
  const method = sp === -1 ? line : line.slice(0, sp);
  return isToken(method)
    ? { isRequest: true, method }
    : { isRequest: undefined, method: undefined };
}

export function parseStartLine(line: string, hint: StartLineHint): StartLineParts {
  if (hint.isRequest === false) return parseStatusLine(line);
  if (hint.isRequest === undefined || line.indexOf(" ") === -1) fail("Bad start line");
  return parseRequestLine(line);
}
