// Reads and checks the header fields every message must have (RFC 3261 §8.1.1,
// §20): To, From, Call-ID, CSeq and Via, plus Max-Forwards and Content-Length.
// Used for parsed and built messages alike.
import type { HeaderLine } from "./header-line.js";
import type { CSeq, NameAddr, Via } from "./message.js";
import { fail, readingField } from "./parse-error.js";
import { parseNameAddr } from "./parse-name-addr.js";
import { parseCallId, parseContentLength, parseCSeq, parseMaxForwards } from "./parse-scalar.js";
import { parseViaList } from "./parse-via.js";

/** No real message has more Vias than Max-Forwards (at most 255) allows hops. */
const MAX_VIAS = 256;

export interface CoreFields {
  readonly callId: string;
  readonly cseq: CSeq;
  readonly from: NameAddr;
  readonly to: NameAddr;
  readonly vias: Via[];
  readonly maxForwards: number | undefined;
  readonly contentLength: number | undefined;
}

/**
 * Parses the mandatory and framing header fields of `headers`. `method` is the
 * request method (undefined for a response): RFC 3261 §8.1.1.5 requires the CSeq
 * method to equal it. Throws SipParseError naming the first problem found.
 */
export function readCoreFields(
  headers: readonly HeaderLine[],
  method: string | undefined,
  maxContentLength: number,
): CoreFields {
  let callId: string | undefined;
  let cseq: CSeq | undefined;
  let from: NameAddr | undefined;
  let to: NameAddr | undefined;
  let maxForwards: number | undefined;
  let contentLength: number | undefined;
  const vias: Via[] = [];
  for (const line of headers) {
    switch (line.key) {
      case "via":
        parseViaList(line.value, vias);
        if (vias.length > MAX_VIAS) fail("Too many Via values");
        break;
      case "from":
        if (from !== undefined) fail("Duplicate From");
        from = readingField("From", () => parseNameAddr(line.value));
        break;
      case "to":
        if (to !== undefined) fail("Duplicate To");
        to = readingField("To", () => parseNameAddr(line.value));
        break;
      case "call-id":
        if (callId !== undefined) fail("Duplicate Call-ID");
        callId = parseCallId(line.value);
        break;
      case "cseq":
        if (cseq !== undefined) fail("Duplicate CSeq");
        cseq = parseCSeq(line.value);
        break;
      case "max-forwards":
        if (maxForwards !== undefined) fail("Duplicate Max-Forwards");
        maxForwards = parseMaxForwards(line.value);
        break;
      case "content-length":
        if (contentLength !== undefined) fail("Duplicate Content-Length");
        contentLength = parseContentLength(line.value, maxContentLength);
        break;
    }
  }
  if (to === undefined) fail("Missing To");
  if (from === undefined) fail("Missing From");
  if (callId === undefined) fail("Missing Call-ID");
  if (cseq === undefined) fail("Missing CSeq");
  if (vias.length === 0) fail("Missing Via");
  if (method !== undefined && cseq.method !== method) fail("CSeq method mismatch");
  return { callId, cseq, from, to, vias, maxForwards, contentLength };
}
