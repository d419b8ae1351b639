// Writes a message to a Buffer. Fields that came off the wire are copied from
// the bytes they were read from (adjacent ones in a single copy); fields made by
// code are "name: value CRLF", written in latin1, which gives back their octets.
import type { HeaderLine } from "./header-line.js";

/** The start line: its text, and where its bytes (CRLF included) are when it came off the wire. */
export interface StartLine {
  readonly text: string;
  readonly src: Buffer | undefined;
  readonly start: number;
  readonly end: number;
}

export function newStartLine(text: string): StartLine {
  return { text, src: undefined, start: 0, end: 0 };
}

const CR = 0x0d;
const LF = 0x0a;

/** Collects adjacent byte ranges into one copy and adjacent texts into one write. */
class Writer {
  pos = 0;
  private text = "";
  private runSrc: Buffer | undefined;
  private runStart = 0;
  private runEnd = 0;

  constructor(readonly out: Buffer) {}

  bytes(src: Buffer, start: number, end: number): void {
    if (src === this.runSrc && start === this.runEnd) {
      this.runEnd = end;
      return;
    }
    this.flush();
    this.runSrc = src;
    this.runStart = start;
    this.runEnd = end;
  }

  write(text: string): void {
    if (this.runSrc !== undefined) this.flush();
    this.text += text;
  }

  /**
   * The empty line and the body. When the body follows the last copied field
   * in the same bytes, as in a received message, they go out in that copy.
   */
  end(body: Buffer): void {
    const src = this.runSrc;
    const end = this.runEnd;
    if (
      src !== undefined &&
      body.buffer === src.buffer &&
      body.byteOffset === src.byteOffset + end + 2 &&
      src[end] === CR &&
      src[end + 1] === LF
    ) {
      this.runEnd = end + 2 + body.length;
      this.flush();
      return;
    }
    this.write("\r\n");
    this.flush();
    this.pos += body.copy(this.out, this.pos);
  }

  private flush(): void {
    if (this.runSrc !== undefined) {
      this.pos += this.runSrc.copy(this.out, this.pos, this.runStart, this.runEnd);
      this.runSrc = undefined;
    } else if (this.text.length > 0) {
      this.pos += this.out.write(this.text, this.pos, "latin1");
      this.text = "";
    }
  }
}

export function serializeMessage(
  startLine: StartLine,
  headers: readonly HeaderLine[],
  body: Buffer,
): Buffer {
  let size =
    startLine.src === undefined ? startLine.text.length + 2 : startLine.end - startLine.start;
  for (const line of headers) {
    size +=
      line.src === undefined ? line.name.length + line.value.length + 4 : line.end - line.start;
  }
  const writer = new Writer(Buffer.allocUnsafe(size + 2 + body.length));
  if (startLine.src === undefined) writer.write(`${startLine.text}\r\n`);
  else writer.bytes(startLine.src, startLine.start, startLine.end);
  for (const line of headers) {
    if (line.src === undefined) writer.write(`${line.name}: ${line.value}\r\n`);
    else writer.bytes(line.src, line.start, line.end);
  }
  writer.end(body);
  return writer.out;
}
