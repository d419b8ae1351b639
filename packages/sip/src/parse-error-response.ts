// The answer to a request that failed to parse (RFC 3261 §8.2: a malformed
// request gets 400 Bad Request with a reason; §21.5.6 / §21.5.9: 505, 513),
// when one can be routed back; otherwise the message is dropped.

import { type HeaderLine, toHeaderLine } from "./header-line.js";
import { findListComma } from "./header-list.js";
import type { SipResponse, Via } from "./message.js";
import { assembleResponse } from "./message-build.js";
import { SipParseError } from "./parse-error.js";
import { parseNameAddr } from "./parse-name-addr.js";
import { parseCallId, parseCSeq } from "./parse-scalar.js";
import { parseVia } from "./parse-via.js";
import { trimWsp } from "./text-chars.js";

const COPIED = ["via", "from", "to", "call-id", "cseq"];

/**
 * A response for the request behind `error`, or undefined when none may or can
 * be sent: the message was a response or an ACK (RFC 3261 §17: never answered),
 * its start line or header section could not be read, or one of Via, From, To,
 * Call-ID and CSeq is missing or unreadable. The status is error.status (400,
 * 505 or 513) and the reason phrase error.reason.
 */
export function responseForParseError(error: SipParseError): SipResponse | undefined {
  if (error.isRequest !== true || error.method === "ACK" || error.headers === undefined) {
    return undefined;
  }
  const first = new Map<string, HeaderLine>();
  for (const field of error.headers) {
    const line = toHeaderLine(field);
    if (COPIED.includes(line.key) && !first.has(line.key)) first.set(line.key, line);
  }
  const viaLine = first.get("via");
  const fromLine = first.get("from");
  const toLine = first.get("to");
  const callIdLine = first.get("call-id");
  const cseqLine = first.get("cseq");
  if (!viaLine || !fromLine || !toLine || !callIdLine || !cseqLine) return undefined;
  try {
    // Only the topmost Via routes the response (RFC 3261 §18.2.2).
    const comma = findListComma(viaLine.value);
    const topVia =
      comma === -1 ? viaLine : viaLine.withValue(trimWsp(viaLine.value.slice(0, comma)));
    const vias: Via[] = [parseVia(topVia.value)];
    const copied = {
      lines: [topVia, fromLine, toLine, callIdLine, cseqLine],
      vias,
      from: parseNameAddr(fromLine.value),
      to: parseNameAddr(toLine.value),
      callId: parseCallId(callIdLine.value),
      cseq: parseCSeq(cseqLine.value),
    };
    return assembleResponse(copied, error.status, error.reason, {});
  } catch (failure) {
    if (failure instanceof SipParseError) return undefined;
    throw failure;
  }
}
