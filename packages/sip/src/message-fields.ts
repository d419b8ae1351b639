// Reads and checks the header fields every message must have (RFC 3261 §8.1.1,
// §20): To, From, Call-ID, CSeq and Via, plus Max-Forwards and Content-Length.
// Used for parsed and built messages alike.
import type { HeaderLine } from "./header-line.js";
import type { CSeq, NameAddr, Via } from "./message.js";
import { fail, readingField } from "./parse-error.js";
import { parseNameAddr } from "./parse-name-addr.js";
import { isPlainNameAddr } from "./parse-quick-check.js";
import { checkCallId, readContentLength, readCSeq, readMaxForwards } from "./parse-scalar.js";
import { readViaList } from "./parse-via.js";

/** No real message has more Vias than Max-Forwards (at most 255) allows hops. */
const MAX_VIAS = 256;

/**
 * A From or To value: its text when it has the usual shape, which is then
 * known to parse and is parsed when first read; otherwise the parsed value,
 * so that a malformed one fails here (RFC 3261 §8.2: answer 400).
 */
function readNameAddrField(what: string, line: HeaderLine): NameAddr | string {
  const value = line.value;
  const plain =
    line.src !== undefined && line.valueStart >= 0
      ? isPlainNameAddr(line.src, line.valueStart, line.valueEnd)
      : isPlainNameAddr(value, 0, value.length);
  return plain ? value : readingField(what, () => parseNameAddr(value));
}

export interface CoreFields {
  readonly callId: string;
  readonly cseq: CSeq;
  /** The parsed value, or its text when that passed isPlainNameAddr (parsed on first use). */
  readonly from: NameAddr | string;
  readonly to: NameAddr | string;
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
  let from: NameAddr | string | undefined;
  let to: NameAddr | string | undefined;
  let maxForwards: number | undefined;
  let contentLength: number | undefined;
  const vias: Via[] = [];
  for (const line of headers) {
    // A value is read where it stands in the text it came from, when it does.
    let text = line.value;
    let start = 0;
    let end = text.length;
    if (line.src !== undefined && line.valueStart >= 0) {
      text = line.src;
      start = line.valueStart;
      end = line.valueEnd;
    }
    switch (line.key) {
      case "via":
        readViaList(text, start, end, vias);
        if (vias.length > MAX_VIAS) fail("Too many Via values");
        break;
      case "from":
        if (from !== undefined) fail("Duplicate From");
        from = readNameAddrField("From", line);
        break;
      case "to":
        if (to !== undefined) fail("Duplicate To");
        to = readNameAddrField("To", line);
        break;
      case "call-id":
        if (callId !== undefined) fail("Duplicate Call-ID");
        checkCallId(text, start, end);
        callId = line.value;
        break;
      case "cseq":
        if (cseq !== undefined) fail("Duplicate CSeq");
        cseq = readCSeq(text, start, end);
        break;
      case "max-forwards":
        if (maxForwards !== undefined) fail("Duplicate Max-Forwards");
        maxForwards = readMaxForwards(text, start, end);
        break;
      case "content-length":
        if (contentLength !== undefined) fail("Duplicate Content-Length");
        contentLength = readContentLength(text, start, end, maxContentLength);
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
