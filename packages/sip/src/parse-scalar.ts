// Header fields with a single scalar value: CSeq, Call-ID, Max-Forwards,
// Content-Length, Expires (RFC 3261 §20, §25.1).
import type { CSeq } from "./message.js";
import { fail } from "./parse-error.js";
import { isAllIn, isWsp, TOKEN, trimWsp, WORD } from "./text-chars.js";

/** RFC 3261 §8.1.1.5: the sequence number MUST be less than 2**31. */
const MAX_CSEQ = 0x7fffffff;
/** RFC 3261 §20.19: delta-seconds are at most 2**32 - 1. */
export const MAX_DELTA_SECONDS = 0xffffffff;

/**
 * A run of decimal digits as a number, or -1 when `text[start, end)` is empty,
 * holds a non-digit, or exceeds `max`. Leading zeros are allowed.
 */
function digits(text: string, start: number, end: number, max: number): number {
  if (end <= start) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    value = value * 10 + (c - 0x30);
    if (value > max) return -1;
  }
  return value;
}

/** CSeq = 1*DIGIT LWS Method. */
export function parseCSeq(text: string): CSeq {
  return readCSeq(text, 0, text.length);
}

/** parseCSeq for the value text[start, end), read where it stands. */
export function readCSeq(text: string, start: number, end: number): CSeq {
  let i = start;
  while (i < end && !isWsp(text.charCodeAt(i))) i++;
  const seq = digits(text, start, i, MAX_CSEQ);
  if (seq < 0) fail("Bad CSeq");
  while (i < end && isWsp(text.charCodeAt(i))) i++;
  if (!isAllIn(text, TOKEN, i, end)) fail("Bad CSeq");
  return { seq, method: text.slice(i, end) };
}

/** Max-Forwards = 1*DIGIT, 0..255 (RFC 3261 §20.22). */
export function parseMaxForwards(text: string): number {
  return readMaxForwards(text, 0, text.length);
}

/** parseMaxForwards for the value text[start, end), read where it stands. */
export function readMaxForwards(text: string, start: number, end: number): number {
  const value = digits(text, start, end, 255);
  if (value < 0) fail("Bad Max-Forwards");
  return value;
}

/** Content-Length = 1*DIGIT, at most `max` (a message can be no longer than its limit). */
export function parseContentLength(text: string, max: number): number {
  return readContentLength(text, 0, text.length, max);
}

/** parseContentLength for the value text[start, end), read where it stands. */
export function readContentLength(text: string, start: number, end: number, max: number): number {
  const value = digits(text, start, end, max);
  if (value < 0) fail("Bad Content-Length");
  return value;
}

/**
 * delta-seconds = 1*DIGIT (Expires, the expires parameter). Values beyond
 * 2**32 - 1 are taken as 2**32 - 1 (RFC 3261 §20.19 bounds the value there).
 */
export function parseDeltaSeconds(text: string, what: string): number {
  const trimmed = trimWsp(text);
  if (trimmed.length === 0) fail(`Bad ${what}`);
  let value = 0;
  for (let i = 0; i < trimmed.length; i++) {
    const c = trimmed.charCodeAt(i);
    if (c < 0x30 || c > 0x39) fail(`Bad ${what}`);
    value = Math.min(value * 10 + (c - 0x30), MAX_DELTA_SECONDS);
  }
  return value;
}

/** callid = word [ "@" word ] (RFC 3261 §25.1). */
export function parseCallId(text: string): string {
  checkCallId(text, 0, text.length);
  return text;
}

/** Checks the Call-ID text[start, end) where it stands. */
export function checkCallId(text: string, start: number, end: number): void {
  let at = text.indexOf("@", start);
  if (at >= end) at = -1;
  const valid =
    at === -1
      ? isAllIn(text, WORD, start, end)
      : isAllIn(text, WORD, start, at) && isAllIn(text, WORD, at + 1, end);
  if (!valid) fail("Bad Call-ID");
}
