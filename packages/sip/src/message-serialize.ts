// Writes a message to a Buffer. The head is put together as one latin1 string,
// which gives back the octets it was read from: fields that came off the wire
// are cut from the text they were read from (adjacent ones in a single slice),
// fields made by code are "name: value CRLF". One write puts the head in its
// Buffer and one copy adds the body: calls into Buffer cost more than joining
// strings, but joining the body too would copy it twice.
import { ByteSlabs } from "./byte-slabs.js";
import type { HeaderLine } from "./header-line.js";

/** Where messages are written: most are gone once sent (see ByteSlabs). */
const writtenSlabs = new ByteSlabs();

/**
 * The head of a message: the start line (without its CRLF), every field, and
 * the empty line ending the header section.
 */
export function serializeHead(startLine: string, headers: readonly HeaderLine[]): string {
  let head = `${startLine}\r\n`;
  let runSrc: string | undefined;
  let runStart = 0;
  let runEnd = 0;
  for (let i = 0; i < headers.length; i++) {
    const line = headers[i] as HeaderLine;
    const src = line.src;
    if (src !== undefined && src === runSrc && line.start === runEnd) {
      runEnd = line.end;
      continue;
    }
    if (runSrc !== undefined) head += runSrc.slice(runStart, runEnd);
    runSrc = src;
    if (src === undefined) {
      head += `${line.name}: ${line.value}\r\n`;
    } else {
      runStart = line.start;
      runEnd = line.end;
    }
  }
  if (runSrc !== undefined) head += runSrc.slice(runStart, runEnd);
  return `${head}\r\n`;
}

/** The message as it goes on the wire: the head in one write, the body in one copy. */
export function serializeMessage(
  startLine: string,
  headers: readonly HeaderLine[],
  body: Buffer,
): Buffer {
  const head = serializeHead(startLine, headers);
  const out = writtenSlabs.allocate(head.length + body.length);
  out.write(head, 0, "latin1");
  if (body.length > 0) out.set(body, head.length);
  return out;
}
