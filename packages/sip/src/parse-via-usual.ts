// The Via as user agents and proxies usually write it (RFC 3261 §20.42):
// "SIP/2.0/UDP host[:port]" and branch, rport or received parameters, with no
// white space inside and no quoting, read in one pass. Anything else is left
// to the general parser, which also names what is wrong with a bad Via.
import { isIP } from "node:net";
import { parsePort, scanHost } from "./parse-host.js";
import { GEN_VALUE, isCharIn, lowerAscii, skipWsp, TOKEN, upperAscii } from "./text-chars.js";
import { SIP_2_0, type ViaFields, ViaValue } from "./via-value.js";

const SLASH = 0x2f;
const COLON = 0x3a;
const COMMA = 0x2c;
const SEMI = 0x3b;
const EQUAL = 0x3d;
const SP = 0x20;

export function isIpAddress(text: string): boolean {
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  return isIP(bare) !== 0;
}

/** "SIP/2.0/" at `at`, exactly: the usual spelling, read without tokenizing. */
export function isSip20Slash(text: string, at: number): boolean {
  return (
    text.charCodeAt(at) === 0x53 &&
    text.charCodeAt(at + 1) === 0x49 &&
    text.charCodeAt(at + 2) === 0x50 &&
    text.charCodeAt(at + 3) === SLASH &&
    text.charCodeAt(at + 4) === 0x32 &&
    text.charCodeAt(at + 5) === 0x2e &&
    text.charCodeAt(at + 6) === 0x30 &&
    text.charCodeAt(at + 7) === SLASH
  );
}

/** The transport token text[start, end) in upper case; the usual ones without copying. */
export function transportName(text: string, start: number, end: number): string {
  if (end - start === 3) {
    const a = text.charCodeAt(start);
    const b = text.charCodeAt(start + 1);
    const c = text.charCodeAt(start + 2);
    if (a === 0x55 && b === 0x44 && c === 0x50) return "UDP";
    if (a === 0x54 && b === 0x43 && c === 0x50) return "TCP";
    if (a === 0x54 && b === 0x4c && c === 0x53) return "TLS";
  }
  return upperAscii(text.slice(start, end));
}

/** Index after the run of `flag` characters at `i`. */
function scanRun(text: string, i: number, end: number, flag: number): number {
  while (i < end && isCharIn(text.charCodeAt(i), flag)) i++;
  return i;
}

/**
 * Reads a Via of the usual shape at text[start, end) into `into`. Returns the
 * index of the comma ending it or `end`, past any white space; -1 when the
 * text there has another shape (nothing is added then), for the general parser.
 */
export function readUsualVia(text: string, start: number, end: number, into: unknown[]): number {
  if (start + 8 > end || !isSip20Slash(text, start)) return -1;
  const transportStart = start + 8;
  let i = scanRun(text, transportStart, end, TOKEN);
  if (i === transportStart || i >= end || text.charCodeAt(i) !== SP) return -1;
  const hostStart = i + 1;
  const hostEnd = scanHost(text, hostStart, end);
  if (hostEnd === -1) return -1;
  i = hostEnd;
  let port: number | undefined;
  if (i < end && text.charCodeAt(i) === COLON) {
    const portStart = i + 1;
    i = portStart;
    while (i < end && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    port = parsePort(text, portStart, i);
    if (Number.isNaN(port)) return -1;
  }
  const paramsStart = i;
  let branch: string | null | undefined;
  let rport: string | null | undefined;
  let received: string | null | undefined;
  while (i < end && text.charCodeAt(i) === SEMI) {
    const nameStart = i + 1;
    i = scanRun(text, nameStart, end, TOKEN);
    const name = text.slice(nameStart, i);
    let value: string | null = null;
    if (i < end && text.charCodeAt(i) === EQUAL) {
      const valueStart = i + 1;
      i = scanRun(text, valueStart, end, GEN_VALUE);
      if (i === valueStart) return -1;
      value = text.slice(valueStart, i);
    }
    if (name === "branch" && branch === undefined) branch = value;
    else if (name === "rport" && rport === undefined) rport = value;
    else if (name === "received" && received === undefined) received = value;
    else return -1;
  }
  const paramsEnd = i;
  const after = skipWsp(text, i, end);
  if (after < end && text.charCodeAt(after) !== COMMA) return -1;
  // The checks the general parser makes on these parameters.
  if (branch === null || (branch !== undefined && !isAllToken(branch))) return -1;
  if (received === null || (received !== undefined && !isIpAddress(received))) return -1;
  let rportValue: number | null | undefined;
  if (rport !== undefined) {
    rportValue = rport === null ? null : parsePort(rport, 0, rport.length);
    if (Number.isNaN(rportValue)) return -1;
  }
  const fields: ViaFields = {
    protocol: SIP_2_0,
    transport: transportName(text, transportStart, hostStart - 1),
    host: lowerAscii(text.slice(hostStart, hostEnd)),
    port,
    branch,
    received,
    rport: rportValue,
  };
  into.push(ViaValue.withParamText(fields, text, paramsStart, paramsEnd));
  return after;
}

function isAllToken(text: string): boolean {
  return scanRun(text, 0, text.length, TOKEN) === text.length;
}
