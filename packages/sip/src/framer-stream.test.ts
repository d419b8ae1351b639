import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type KeepAlive, StreamFramer } from "./framer-stream.js";
import { SipParseError } from "./parse-error.js";
import { parseMessage } from "./parse-message.js";
import { INVITE_LINES, REGISTER_LINES, sipBytes } from "./sample-messages.js";

const INVITE = sipBytes(INVITE_LINES);
const REGISTER = sipBytes(REGISTER_LINES);

function framer(keepAlives: KeepAlive[] = [], maxMessageSize?: number): StreamFramer {
  return new StreamFramer({
    onKeepAlive: (kind) => keepAlives.push(kind),
    ...(maxMessageSize ? { maxMessageSize } : {}),
  });
}

function feed(target: StreamFramer, chunks: readonly Buffer[]): Buffer[] {
  return chunks.flatMap((chunk) => target.push(chunk));
}

function rejects(target: StreamFramer, chunk: Buffer, reason: string): void {
  assert.throws(
    () => target.push(chunk),
    (error: unknown) => error instanceof SipParseError && error.reason === reason,
  );
}

describe("StreamFramer (RFC 3261 §18.3)", () => {
  it("cuts coalesced messages apart by Content-Length", () => {
    const messages = framer().push(Buffer.concat([INVITE, REGISTER, INVITE]));
    assert.equal(messages.length, 3);
    assert.ok(messages[0]?.equals(INVITE));
    assert.ok(messages[1]?.equals(REGISTER));
    assert.ok(messages[2]?.equals(INVITE));
  });

  it("joins a message split at every possible point, one byte at a time included", () => {
    for (let cut = 1; cut < INVITE.length; cut += 7) {
      const messages = feed(framer(), [INVITE.subarray(0, cut), INVITE.subarray(cut)]);
      assert.equal(messages.length, 1, `cut at ${cut}`);
      assert.ok(messages[0]?.equals(INVITE));
    }
    const target = framer();
    const bytes = Buffer.concat([REGISTER, INVITE]);
    const messages = feed(
      target,
      Array.from(bytes, (byte) => Buffer.from([byte])),
    );
    assert.deepEqual(
      messages.map((message) => message.length),
      [REGISTER.length, INVITE.length],
    );
    assert.equal(target.buffered, 0);
  });

  it("hands out messages that stay intact while later chunks arrive", () => {
    const target = framer();
    const [first] = target.push(Buffer.concat([INVITE, REGISTER.subarray(0, 100)]));
    target.push(
      Buffer.concat([REGISTER.subarray(100), Buffer.alloc(10_000, 0x41).fill("OPTIONS ", 0, 8)]),
    );
    assert.ok(first?.equals(INVITE));
    assert.equal(first && parseMessage(first).callId, "a84b4c76e66710@192.0.2.101");
  });

  it("reports a CRLFCRLF ping and a CRLF pong between messages (RFC 5626 §3.5.1)", () => {
    const keepAlives: KeepAlive[] = [];
    const target = framer(keepAlives);
    assert.deepEqual(target.push(Buffer.from("\r\n\r\n")), []);
    assert.deepEqual(keepAlives, ["ping"]);
    const messages = feed(target, [
      Buffer.from("\r"),
      Buffer.from("\n"),
      Buffer.concat([INVITE, Buffer.from("\r\n\r\n\r\n")]),
    ]);
    assert.equal(messages.length, 1);
    assert.deepEqual(keepAlives, ["ping", "pong", "ping"]);
    assert.equal(target.push(REGISTER).length, 1);
    assert.deepEqual(keepAlives, ["ping", "pong", "ping", "pong"]);
  });

  it("fails on a missing, malformed or conflicting Content-Length, and stays failed", () => {
    const withoutLength = Buffer.from(
      REGISTER.toString("latin1").replace("Content-Length: 0\r\n", ""),
      "latin1",
    );
    const target = framer();
    rejects(target, withoutLength, "Missing Content-Length");
    rejects(target, INVITE, "Missing Content-Length");
    const bad = (value: string) =>
      Buffer.from(REGISTER.toString("latin1").replace("Content-Length: 0", value), "latin1");
    rejects(framer(), bad("Content-Length: -1"), "Bad Content-Length");
    rejects(framer(), bad("Content-Length: 12ab"), "Bad Content-Length");
    rejects(framer(), bad("Content-Length: 0\r\nl: 3"), "Bad Content-Length");
    assert.equal(framer().push(bad("content-length  :\r\n 0")).length, 1, "folded and spaced");
    assert.equal(
      framer().push(bad("L: 0\r\nContent-Length: 0")).length,
      1,
      "repeated with the same value",
    );
  });

  it("fails on a message over the size limit, with or without its header section complete", () => {
    const max = INVITE.length - 1;
    assert.throws(
      () => framer([], max).push(INVITE),
      (error: unknown) => error instanceof SipParseError && error.status === 513,
    );
    const endless = framer([], 1024);
    endless.push(Buffer.from("INVITE sip:a@example.com SIP/2.0\r\n"));
    assert.throws(
      () => endless.push(Buffer.alloc(2048, 0x41)),
      (error: unknown) => error instanceof SipParseError && error.status === 513,
    );
  });
});
