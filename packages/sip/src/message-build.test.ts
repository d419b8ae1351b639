import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SipMessage, SipRequest, SipResponse } from "./message.js";
import {
  createAck,
  createCancel,
  createRequest,
  createResponse,
  newBranch,
  newCallId,
  newTag,
} from "./message-build.js";
import { SipParseError } from "./parse-error.js";
import { responseForParseError } from "./parse-error-response.js";
import { parseMessage } from "./parse-message.js";
import { INVITE_LINES, sipBytes } from "./sample-messages.js";
import { isToken, utf8Octets } from "./text-chars.js";

function parse(data: Buffer | readonly string[]): SipMessage {
  return parseMessage(Array.isArray(data) ? sipBytes(data) : (data as Buffer));
}

/** An INVITE that went through two proxies, with a Route set and a Timestamp. */
const INVITE = parse([
  "INVITE sip:bob@192.0.2.4 SIP/2.0",
  "v: SIP/2.0/UDP proxy2.example.com;branch=z9hG4bK2, SIP/2.0/UDP proxy1.example.com;branch=z9hG4bK1",
  "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK0;received=192.0.2.101",
  "Route: <sip:proxy3.example.com;lr>",
  "Route: <sip:proxy4.example.com;lr>",
  "Max-Forwards: 68",
  "To: Bob <sip:bob@example.com>",
  'From: "Alice" <sip:alice@example.com>;tag=1928301774',
  "Call-ID: a84b4c76e66710",
  "CSeq: 314159 INVITE",
  "Timestamp: 54",
  "Contact: <sip:alice@192.0.2.101>",
  "Content-Length: 0",
  "",
  "",
]) as SipRequest;

/** Parses what a builder produced, so the wire form is checked, not just the object. */
function reparse<M extends SipMessage>(message: M): M {
  const parsed = parseMessage(message.toBuffer()) as M;
  assert.equal(parsed.kind, message.kind);
  return parsed;
}

function fieldValues(message: SipMessage, name: string): string[] {
  return message.headers
    .filter((field) => field.name.toLowerCase() === name.toLowerCase())
    .map((field) => field.value);
}

describe("createResponse (RFC 3261 §8.2.6)", () => {
  it("MUST copy all Via values in order, From, Call-ID and CSeq, and To", () => {
    const response = reparse(createResponse(INVITE, 486));
    assert.equal(response.status, 486);
    assert.equal(response.reason, "Busy Here");
    assert.deepEqual(response.headerValues("Via"), INVITE.headerValues("Via"));
    assert.deepEqual(fieldValues(response, "v"), fieldValues(INVITE, "v"));
    assert.equal(response.header("From"), INVITE.header("From"));
    assert.equal(response.callId, INVITE.callId);
    assert.deepEqual(response.cseq, INVITE.cseq);
    assert.equal(response.header("Content-Length"), "0");
    assert.equal(response.header("Route"), undefined, "Route is not copied");
    assert.equal(response.header("Contact"), undefined);
  });

  it("MUST add a To tag when the request had none, except in a 100 (RFC 3261 §8.2.6.2)", () => {
    const ringing = reparse(createResponse(INVITE, 180, undefined, { toTag: "a6c85cf" }));
    assert.equal(ringing.to.params.get("tag"), "a6c85cf");
    assert.equal(ringing.header("To"), "Bob <sip:bob@example.com>;tag=a6c85cf");
    const generated = createResponse(INVITE, 200);
    const tag = generated.to.params.get("tag");
    assert.ok(typeof tag === "string" && isToken(tag) && tag.length >= 8);
    const trying = reparse(createResponse(INVITE, 100));
    assert.equal(trying.to.params.has("tag"), false);
  });

  it("keeps an existing To tag", () => {
    const text = INVITE.toBuffer()
      .toString("latin1")
      .replace("<sip:bob@example.com>", "<sip:bob@example.com>;tag=xyz");
    const inDialog = parse(Buffer.from(text, "latin1")) as SipRequest;
    const response = reparse(createResponse(inDialog, 200, undefined, { toTag: "other" }));
    assert.equal(response.to.params.get("tag"), "xyz");
    assert.equal(response.header("To"), "Bob <sip:bob@example.com>;tag=xyz");
  });

  it("MUST copy Timestamp into a 100 Trying (RFC 3261 §8.2.6.1)", () => {
    assert.equal(reparse(createResponse(INVITE, 100)).header("Timestamp"), "54");
    assert.equal(reparse(createResponse(INVITE, 180)).header("Timestamp"), undefined);
  });

  it("uses the RFC 3261 §21 reason phrases by default, or the one given", () => {
    const expected: Record<number, string> = {
      100: "Trying",
      183: "Session Progress",
      200: "OK",
      302: "Moved Temporarily",
      401: "Unauthorized",
      407: "Proxy Authentication Required",
      408: "Request Timeout",
      416: "Unsupported URI Scheme",
      423: "Interval Too Brief",
      481: "Call/Transaction Does Not Exist",
      483: "Too Many Hops",
      487: "Request Terminated",
      503: "Service Unavailable",
      504: "Server Time-out",
      505: "Version Not Supported",
      513: "Message Too Large",
      603: "Decline",
      606: "Not Acceptable",
    };
    for (const [status, reason] of Object.entries(expected)) {
      assert.equal(createResponse(INVITE, Number(status)).reason, reason);
    }
    assert.equal(reparse(createResponse(INVITE, 403, "Use From=ID")).reason, "Use From=ID");
    assert.equal(createResponse(INVITE, 499).reason, "Bad Request");
    assert.throws(() => createResponse(INVITE, 99), RangeError);
    assert.throws(() => createResponse(INVITE, 200, "OK\r\nX-Injected: 1"), RangeError);
  });

  it("adds the given header fields and body with a matching Content-Length", () => {
    const body = Buffer.from("v=0\r\n");
    const response = reparse(
      createResponse(INVITE, 200, undefined, {
        headers: [
          { name: "Contact", value: "<sip:bob@192.0.2.4>" },
          { name: "Content-Type", value: "application/sdp" },
          { name: "Content-Length", value: "999" },
        ],
        body,
      }),
    );
    assert.ok(response.body.equals(body));
    assert.deepEqual(response.headerValues("Content-Length"), ["5"]);
    assert.equal(response.header("Contact"), "<sip:bob@192.0.2.4>");
    assert.throws(
      () => createResponse(INVITE, 200, undefined, { headers: [{ name: "Via", value: "x" }] }),
      RangeError,
    );
    assert.throws(
      () =>
        createResponse(INVITE, 200, undefined, {
          headers: [{ name: "X-A", value: "a\r\nVia: evil" }],
        }),
      RangeError,
    );
  });

  it("writes octet strings as they are and refuses text that is not one", () => {
    const response = createResponse(INVITE, 200, utf8Octets("Très bien"), {
      headers: [{ name: "Subject", value: utf8Octets("Zoë 😀") }],
    });
    const wire = response.toBuffer();
    assert.ok(wire.includes(Buffer.from("Subject: Zoë 😀", "utf8")));
    assert.ok(wire.includes(Buffer.from("200 Très bien", "utf8")));
    assert.throws(() => createResponse(INVITE, 200, "😀"), RangeError);
    assert.throws(
      () => createResponse(INVITE, 200, "OK", { headers: [{ name: "Subject", value: "😀" }] }),
      RangeError,
    );
  });
});

describe("createAck for a non-2xx final response (RFC 3261 §17.1.1.3)", () => {
  const busy = parse(
    createResponse(INVITE, 486, undefined, { toTag: "99sa0xk" }).toBuffer(),
  ) as SipResponse;

  it("MUST have the INVITE's Request-URI, Call-ID, From and CSeq number, with method ACK", () => {
    const ack = reparse(createAck(INVITE, busy));
    assert.equal(ack.method, "ACK");
    assert.equal(ack.uriText, INVITE.uriText);
    assert.equal(ack.callId, INVITE.callId);
    assert.equal(ack.header("From"), INVITE.header("From"));
    assert.deepEqual(ack.cseq, { seq: INVITE.cseq.seq, method: "ACK" });
  });

  it("MUST take To from the response, carry only the top Via, the Route fields, Max-Forwards 70 and no body", () => {
    const ack = reparse(createAck(INVITE, busy));
    assert.equal(ack.to.params.get("tag"), "99sa0xk");
    assert.deepEqual(ack.headerValues("Via"), ["SIP/2.0/UDP proxy2.example.com;branch=z9hG4bK2"]);
    assert.equal(ack.vias.length, 1);
    assert.deepEqual(ack.headerValues("Route"), [
      "<sip:proxy3.example.com;lr>",
      "<sip:proxy4.example.com;lr>",
    ]);
    assert.equal(ack.maxForwards, 70);
    assert.equal(ack.body.length, 0);
    assert.equal(ack.header("Content-Length"), "0");
    assert.equal(ack.header("Contact"), undefined);
  });
});

describe("createCancel (RFC 3261 §9.1)", () => {
  it("MUST match the INVITE's Request-URI, Call-ID, To, From and CSeq number, method CANCEL", () => {
    const cancel = reparse(createCancel(INVITE));
    assert.equal(cancel.method, "CANCEL");
    assert.equal(cancel.uriText, INVITE.uriText);
    assert.equal(cancel.callId, INVITE.callId);
    assert.equal(cancel.header("To"), INVITE.header("To"));
    assert.equal(cancel.header("From"), INVITE.header("From"));
    assert.deepEqual(cancel.cseq, { seq: INVITE.cseq.seq, method: "CANCEL" });
  });

  it("MUST carry a single Via equal to the INVITE's top Via and its Route fields", () => {
    const cancel = reparse(createCancel(INVITE));
    assert.deepEqual(cancel.headerValues("Via"), [
      "SIP/2.0/UDP proxy2.example.com;branch=z9hG4bK2",
    ]);
    assert.equal(cancel.vias[0]?.branch, INVITE.vias[0]?.branch);
    assert.deepEqual(cancel.headerValues("Route"), INVITE.headerValues("Route"));
    assert.equal(cancel.maxForwards, 70);
    assert.equal(cancel.body.length, 0);
  });
});

describe("createRequest (RFC 3261 §8.1.1)", () => {
  const headers = [
    { name: "Via", value: `SIP/2.0/UDP 192.0.2.50:5060;branch=${newBranch()}` },
    { name: "To", value: "<sip:bob@example.com>" },
    { name: "From", value: `<sip:alice@example.com>;tag=${newTag()}` },
    { name: "Call-ID", value: newCallId() },
    { name: "CSeq", value: "1 MESSAGE" },
  ];

  it("adds Max-Forwards 70 and Content-Length, and parses back the same", () => {
    const body = Buffer.from("hello");
    const message = reparse(
      createRequest({ method: "MESSAGE", uri: "sip:bob@example.com", headers, body }),
    );
    assert.equal(message.method, "MESSAGE");
    assert.equal(message.maxForwards, 70);
    assert.equal(message.header("Content-Length"), "5");
    assert.ok(message.body.equals(body));
  });

  it("throws SipParseError when a mandatory field is missing or malformed", () => {
    assert.throws(
      () =>
        createRequest({ method: "MESSAGE", uri: "sip:bob@example.com", headers: headers.slice(1) }),
      (error: unknown) => error instanceof SipParseError && error.reason === "Missing Via",
    );
    assert.throws(
      () => createRequest({ method: "INVITE", uri: "sip:bob@example.com", headers }),
      (error: unknown) => error instanceof SipParseError && error.reason === "CSeq method mismatch",
    );
    assert.throws(
      () => createRequest({ method: "BAD METHOD", uri: "sip:b@example.com", headers }),
      RangeError,
    );
  });

  it("makes branches with the magic cookie and distinct tags and Call-IDs (RFC 3261 §8.1.1.7, §19.3)", () => {
    const branches = new Set(Array.from({ length: 1000 }, newBranch));
    assert.equal(branches.size, 1000);
    for (const branch of branches) assert.ok(branch.startsWith("z9hG4bK") && isToken(branch));
    assert.equal(new Set(Array.from({ length: 1000 }, newTag)).size, 1000);
    assert.ok(isToken(newCallId()));
  });
});

describe("responseForParseError (RFC 3261 §8.2, §21.4.1)", () => {
  function failure(lines: readonly string[]): SipParseError {
    try {
      parseMessage(sipBytes(lines));
    } catch (error) {
      if (error instanceof SipParseError) return error;
    }
    return assert.fail("expected a parse error");
  }

  const readable = [
    "Via: SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bKbad;rport, SIP/2.0/UDP 192.0.2.8;branch=z9hG4bKx",
    "To: <sip:bob@example.com>",
    "From: <sip:alice@example.com>;tag=77",
    "Call-ID: broken-1",
  ];

  it("answers a malformed request whose Via, From, To, Call-ID and CSeq can be read, with the reason", () => {
    const error = failure([
      "INVITE sip:bob@example.com SIP/2.0",
      ...readable,
      "CSeq: 5 INVITE",
      "Max-Forwards: 300",
      "",
      "",
    ]);
    const response = responseForParseError(error);
    assert.ok(response !== undefined);
    const wire = reparse(response);
    assert.equal(wire.status, 400);
    assert.equal(wire.reason, "Bad Max-Forwards");
    assert.deepEqual(wire.headerValues("Via"), [
      "SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bKbad;rport",
    ]);
    assert.equal(wire.callId, "broken-1");
    assert.deepEqual(wire.cseq, { seq: 5, method: "INVITE" });
    assert.ok(typeof wire.to.params.get("tag") === "string");
  });

  it("answers an unsupported version with 505", () => {
    const response = responseForParseError(
      failure(["OPTIONS sip:bob@example.com SIP/3.0", ...readable, "CSeq: 1 OPTIONS", "", ""]),
    );
    assert.equal(response?.status, 505);
  });

  it("answers nothing for responses, ACKs, unreadable sections or a missing or bad mandatory field", () => {
    const cases = [
      ["SIP/2.0 200 OK", ...readable, "", ""],
      ["ACK sip:bob@example.com SIP/2.0", ...readable, "CSeq: 5 INVITE", "", ""],
      ["INVITE sip:bob@example.com SIP/2.0", ...readable, "CSeq: 5 INVITE", "no colon", "", ""],
      ["INVITE sip:bob@example.com SIP/2.0", ...readable, "", ""],
      ["INVITE sip:bob@example.com SIP/2.0", ...readable, "CSeq: 99999999999 INVITE", "", ""],
      ["INVITE sip:bob@example.com SIP/2.0", ...readable.slice(1), "CSeq: 5 INVITE", "", ""],
      ["\x01garbage", ...readable, "CSeq: 5 INVITE", "", ""],
    ];
    for (const lines of cases)
      assert.equal(responseForParseError(failure(lines)), undefined, lines[0]);
  });
});

describe("built messages on the wire", () => {
  it("a response to a parsed INVITE reuses the request's field bytes as written", () => {
    const invite = parse(INVITE_LINES.map((line) => line.replace("Call-ID:", "i:"))) as SipRequest;
    const wire = createResponse(invite, 180, undefined, { toTag: "t" })
      .toBuffer()
      .toString("latin1");
    assert.ok(wire.startsWith("SIP/2.0 180 Ringing\r\n"));
    assert.ok(wire.includes("\r\ni: a84b4c76e66710@192.0.2.101\r\n"));
    assert.ok(wire.endsWith("Content-Length: 0\r\n\r\n"));
  });
});
