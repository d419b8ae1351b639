import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SipRequest } from "./message.js";
import { createRequest } from "./message-build.js";
import { editMessage } from "./message-edit.js";
import { parseMessage } from "./parse-message.js";
import { INVITE_LINES, sipBytes } from "./sample-messages.js";

const INVITE = parseMessage(sipBytes(INVITE_LINES)) as SipRequest;
const INVITE_TEXT = sipBytes(INVITE_LINES).toString("latin1");

/** The INVITE forwarded with a Record-Route naming proxy `n`. */
function forwarded(n: number): Buffer {
  return editMessage(INVITE).addRecordRoute(`<sip:proxy${n}.example.com;lr>`).toBuffer();
}

function expected(n: number): string {
  const firstLineEnd = INVITE_TEXT.indexOf("\r\n") + 2;
  return `${INVITE_TEXT.slice(0, firstLineEnd)}Record-Route: <sip:proxy${n}.example.com;lr>\r\n${INVITE_TEXT.slice(firstLineEnd)}`;
}

describe("serializing messages", () => {
  it("keeps every message written intact while many more are written after it", () => {
    const written = Array.from({ length: 300 }, (_, n) => forwarded(n));
    written.forEach((buffer, n) => {
      assert.equal(buffer.toString("latin1"), expected(n));
    });
  });

  it("writes a message larger than the shared slabs allow in a Buffer of its own", () => {
    const subject = "s".repeat(20_000);
    const big = editMessage(INVITE).addHeader("Subject", subject).toBuffer();
    assert.ok(big.toString("latin1").includes(`\r\nSubject: ${subject}\r\n`));
    assert.ok(big.subarray(big.length - INVITE.body.length).equals(INVITE.body));
    assert.equal(parseMessage(big).header("Subject"), subject);
  });

  it("copies a body that came as bytes, not text, after the head", () => {
    const body = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x80, 0x41]);
    const request = createRequest({
      method: "MESSAGE",
      uri: "sip:bob@example.com",
      headers: [
        { name: "Via", value: "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKm" },
        { name: "From", value: "<sip:alice@example.com>;tag=1" },
        { name: "To", value: "<sip:bob@example.com>" },
        { name: "Call-ID", value: "m1" },
        { name: "CSeq", value: "1 MESSAGE" },
      ],
      body,
    });
    const wire = request.toBuffer();
    assert.ok(wire.subarray(wire.length - body.length).equals(body));
    assert.ok(
      wire.toString("latin1").endsWith(`Content-Length: 6\r\n\r\n${body.toString("latin1")}`),
    );
  });
});
