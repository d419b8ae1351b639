import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SipMessage, SipRequest, SipResponse } from "./message.js";
import { createResponse } from "./message-build.js";
import { editMessage } from "./message-edit.js";
import { getRecordRoutes, getRoutes } from "./message-headers.js";
import { parseMessage } from "./parse-message.js";
import { createVia } from "./parse-via.js";
import { INVITE_LINES, sipBytes } from "./sample-messages.js";

const PROXY_VIA = "SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bKproxy1";

/** A request with odd spellings that must survive forwarding byte for byte. */
const ODD_LINES = [
  "INVITE sip:bob@example.com SIP/2.0",
  "v: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK776;rport , SIP/2.0/TCP 192.0.2.7;branch=z9hG4bK0",
  "Route: <sip:203.0.113.1;lr>, <sip:198.51.100.9;lr>",
  "MAX-FORWARDS:   10",
  "t: Bob",
  " <sip:bob@example.com>",
  'f: "Alice" <sip:alice@example.com>;tag=1928301774',
  "i: a84b4c76e66710@192.0.2.101",
  "CSeq :  314160 INVITE",
  'Proxy-Authorization: Digest username="alice", realm="example.com"',
  "X-Odd:\t  spaced\tvalue  ",
  'Proxy-Authorization: Digest username="alice", realm="other.example.com"',
  "c: application/sdp",
  "l: 5",
  "",
  "v=0\r\n",
];

function parseRequest(lines: readonly string[]): SipRequest {
  const message = parseMessage(sipBytes(lines));
  assert.equal(message.kind, "request");
  return message as SipRequest;
}

function wire(message: SipMessage | Buffer): string {
  return (Buffer.isBuffer(message) ? message : message.toBuffer()).toString("latin1");
}

/** The wire text with CRLF line ends replaced, for readable comparisons. */
function lines(text: string): string[] {
  return text.split("\r\n");
}

describe("editMessage: untouched parts go out as received", () => {
  it("serializes an unedited message byte for byte", () => {
    const request = parseRequest(ODD_LINES);
    assert.ok(editMessage(request).toBuffer().equals(sipBytes(ODD_LINES)));
    assert.equal(editMessage(request).toMessage(), request);
  });

  it("changes only the edited fields, keeping spelling, spacing, compact forms and folding elsewhere", () => {
    const request = parseRequest(ODD_LINES);
    const forwarded = editMessage(request)
      .removeHeaders("X-Absent")
      .addHeader("X-Added", "1")
      .toBuffer();
    assert.equal(wire(forwarded), wire(request).replace("l: 5\r\n", "l: 5\r\nX-Added: 1\r\n"));
  });

  it("never changes the message it started from", () => {
    const request = parseRequest(ODD_LINES);
    const before = wire(request);
    editMessage(request)
      .pushVia(PROXY_VIA)
      .popRoute()
      .decrementMaxForwards()
      .removeHeaders("Proxy-Authorization")
      .toBuffer();
    assert.equal(wire(request), before);
    assert.equal(request.vias.length, 2);
    assert.equal(request.maxForwards, 10);
  });
});

describe("editMessage: forwarding a request (RFC 3261 §16.6)", () => {
  it("step 8: pushes the proxy's Via above the others", () => {
    const forwarded = editMessage(parseRequest(ODD_LINES)).pushVia(PROXY_VIA).toMessage();
    assert.equal(forwarded.vias.length, 3);
    assert.equal(forwarded.vias[0]?.branch, "z9hG4bKproxy1");
    const text = lines(wire(forwarded));
    assert.equal(text[1], `Via: ${PROXY_VIA}`);
    assert.equal(text[2], ODD_LINES[1]);
    assert.equal(parseMessage(forwarded.toBuffer()).vias[0]?.host, "203.0.113.1");
  });

  it("accepts a Via made with createVia", () => {
    const via = createVia({
      transport: "UDP",
      host: "203.0.113.1",
      port: 5060,
      branch: "z9hG4bKmade",
    });
    const forwarded = editMessage(parseRequest(ODD_LINES)).pushVia(via).toMessage();
    assert.equal(forwarded.vias[0], via);
    assert.equal(lines(wire(forwarded))[1], "Via: SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bKmade");
  });

  it("step 3: decrements Max-Forwards keeping the name as written, or adds Max-Forwards: 70", () => {
    const forwarded = editMessage(parseRequest(ODD_LINES)).decrementMaxForwards().toMessage();
    assert.equal(forwarded.maxForwards, 9);
    assert.ok(lines(wire(forwarded)).includes("MAX-FORWARDS: 9"));
    const without = parseRequest(ODD_LINES.filter((line) => !line.startsWith("MAX-FORWARDS")));
    const added = editMessage(without).decrementMaxForwards().toMessage();
    assert.equal(added.maxForwards, 70);
    assert.equal((parseMessage(added.toBuffer()) as SipRequest).maxForwards, 70);
    const zero = parseRequest(
      ODD_LINES.map((line) => (line.startsWith("MAX-FORWARDS") ? "Max-Forwards: 0" : line)),
    );
    assert.throws(() => editMessage(zero).decrementMaxForwards(), RangeError);
  });

  it("step 3: sets Max-Forwards to a given value where the field stands, keeping its name", () => {
    const request = parseRequest(ODD_LINES);
    const capped = editMessage(request).setMaxForwards(5).toMessage();
    assert.equal(capped.maxForwards, 5);
    assert.equal(
      wire(capped),
      wire(request).replace("MAX-FORWARDS:   10\r\n", "MAX-FORWARDS: 5\r\n"),
    );
    assert.equal(
      editMessage(request).setMaxForwards(5).toBuffer().toString("latin1"),
      wire(capped),
    );
    const without = parseRequest(ODD_LINES.filter((line) => !line.startsWith("MAX-FORWARDS")));
    const added = parseMessage(editMessage(without).setMaxForwards(0).toBuffer()) as SipRequest;
    assert.equal(added.maxForwards, 0);
    assert.equal(added.header("Max-Forwards"), "0");
    for (const bad of [-1, 256, 1.5, Number.NaN]) {
      assert.throws(() => editMessage(request).setMaxForwards(bad), RangeError);
    }
    const response = createResponse(request, 180);
    assert.throws(() => editMessage(response).setMaxForwards(5), TypeError);
  });

  it("step 4: adds Record-Route above existing ones", () => {
    const withRecordRoute = parseRequest([
      ...ODD_LINES.slice(0, 3),
      "Record-Route: <sip:198.51.100.1;lr>",
      ...ODD_LINES.slice(3),
    ]);
    const forwarded = editMessage(withRecordRoute)
      .addRecordRoute("<sip:203.0.113.1;lr>")
      .toMessage();
    assert.deepEqual(
      getRecordRoutes(forwarded).map((route) => route.uri.host),
      ["203.0.113.1", "198.51.100.1"],
    );
    const fresh = editMessage(parseRequest(ODD_LINES))
      .addRecordRoute("<sip:203.0.113.1;lr>")
      .toMessage();
    assert.equal(getRecordRoutes(parseMessage(fresh.toBuffer()))[0]?.uri.host, "203.0.113.1");
  });

  it("§16.4: pops the top Route value, keeping the others of the same field", () => {
    const forwarded = editMessage(parseRequest(ODD_LINES)).popRoute().toMessage();
    assert.deepEqual(
      getRoutes(forwarded).map((route) => route.uri.host),
      ["198.51.100.9"],
    );
    assert.ok(lines(wire(forwarded)).includes("Route: <sip:198.51.100.9;lr>"));
    const none = editMessage(forwarded).popRoute().toMessage();
    assert.deepEqual(getRoutes(none), []);
    assert.equal(none.header("Route"), undefined);
    assert.throws(() => editMessage(none).popRoute(), RangeError);
  });

  it("step 6: replaces the Request-URI", () => {
    const forwarded = editMessage(parseRequest(ODD_LINES))
      .setRequestUri("sip:bob@192.0.2.44:5062;transport=tcp")
      .toMessage();
    assert.equal(forwarded.kind === "request" && forwarded.uri.port, 5062);
    assert.equal(lines(wire(forwarded))[0], "INVITE sip:bob@192.0.2.44:5062;transport=tcp SIP/2.0");
    assert.equal(
      wire(forwarded).slice(wire(forwarded).indexOf("\r\n")),
      wire(parseRequest(ODD_LINES)).slice(ODD_LINES[0]?.length),
    );
  });

  it("removes every field of a name, e.g. the consumed credentials", () => {
    const forwarded = editMessage(parseRequest(ODD_LINES))
      .removeHeaders("proxy-authorization")
      .toMessage();
    assert.deepEqual(forwarded.headerValues("Proxy-Authorization"), []);
    assert.equal(
      wire(forwarded),
      wire(parseRequest(ODD_LINES.filter((line) => !line.startsWith("Proxy-Authorization")))),
    );
  });

  it("sets and adds fields, re-reading the ones the message carries parsed", () => {
    const edited = editMessage(parseRequest(ODD_LINES))
      .setHeader("To", "<sip:carol@example.com>")
      .setHeader("X-Odd", "plain")
      .toMessage();
    assert.equal(edited.to.uri.user, "carol");
    assert.equal(edited.header("x-odd"), "plain");
    assert.equal(edited.headers.filter((field) => field.name === "X-Odd").length, 1);
    assert.throws(() => editMessage(edited).addHeader("X-Evil", "a\r\nVia: x"), RangeError);
  });

  it("refuses field values that would inject fields or are not octet strings", () => {
    const editor = () => editMessage(parseRequest(ODD_LINES));
    for (const value of ["a\rb", "a\nb", "a\0b", "Zo\u00eb\u2603"]) {
      assert.throws(() => editor().addHeader("X-Bad", value), RangeError, JSON.stringify(value));
    }
    assert.throws(() => editor().addHeader("X-Bad", "\u2603\r\nVia: x"), /CR, LF or NUL/);
    assert.throws(() => editor().addHeader("X-Bad", "\u2603"), /above U\+00FF/);
    const added = editor().addHeader("X-Fine", "caf\u00c3\u00a9").toMessage();
    assert.equal(added.header("X-Fine"), "caf\u00c3\u00a9");
  });

  it("RFC 3261 §18.2.1, RFC 3581 §4: sets received and fills rport on the top Via only", () => {
    const stamped = editMessage(parseRequest(ODD_LINES))
      .setViaReceived("198.51.100.23", 40123)
      .toMessage();
    assert.equal(stamped.vias[0]?.received, "198.51.100.23");
    assert.equal(stamped.vias[0]?.rport, 40123);
    assert.equal(stamped.vias[1]?.received, undefined);
    assert.equal(
      lines(wire(stamped))[1],
      "v: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK776;rport=40123;received=198.51.100.23, SIP/2.0/TCP 192.0.2.7;branch=z9hG4bK0",
    );
    const reparsed = parseMessage(stamped.toBuffer());
    assert.deepEqual(reparsed.vias, stamped.vias);
    // Same address and no rport: nothing to record.
    const plain = parseRequest(INVITE_LINES.map((line) => line.replace(";rport", "")));
    assert.equal(editMessage(plain).setViaReceived("192.0.2.101", 5060).toMessage(), plain);
    assert.throws(() => editMessage(plain).setViaReceived("evil\r\nX: y", 5060), RangeError);
  });

  it("adds Content-Length for a stream transport when a UDP request had none (RFC 3261 §18.3)", () => {
    const request = parseRequest(ODD_LINES.filter((line) => !line.startsWith("l:")));
    const forwarded = editMessage(request).ensureContentLength().toMessage();
    assert.equal(forwarded.header("Content-Length"), String(request.body.length));
    assert.equal(editMessage(forwarded).ensureContentLength().toMessage(), forwarded);
  });

  it("the usual chain touches only what it should", () => {
    const request = parseRequest(ODD_LINES);
    const out = wire(
      editMessage(request)
        .setViaReceived("198.51.100.23", 40123)
        .pushVia(PROXY_VIA)
        .addRecordRoute("<sip:203.0.113.1;lr>")
        .popRoute()
        .decrementMaxForwards()
        .removeHeaders("Proxy-Authorization")
        .toBuffer(),
    );
    assert.deepEqual(lines(out), [
      "INVITE sip:bob@example.com SIP/2.0",
      "Record-Route: <sip:203.0.113.1;lr>",
      `Via: ${PROXY_VIA}`,
      "v: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK776;rport=40123;received=198.51.100.23, SIP/2.0/TCP 192.0.2.7;branch=z9hG4bK0",
      "Route: <sip:198.51.100.9;lr>",
      "MAX-FORWARDS: 9",
      "t: Bob",
      " <sip:bob@example.com>",
      'f: "Alice" <sip:alice@example.com>;tag=1928301774',
      "i: a84b4c76e66710@192.0.2.101",
      "CSeq :  314160 INVITE",
      "X-Odd:\t  spaced\tvalue  ",
      "c: application/sdp",
      "l: 5",
      "",
      "v=0",
      "",
    ]);
  });
});

describe("editMessage: forwarding a response (RFC 3261 §16.7)", () => {
  it("step 3: pops the topmost Via value, from a field holding several or one", () => {
    const request = parseRequest(ODD_LINES);
    const forwardedRequest = editMessage(request).pushVia(PROXY_VIA).toMessage();
    const response = parseMessage(
      createResponse(forwardedRequest, 200, undefined, { toTag: "x" }).toBuffer(),
    ) as SipResponse;
    const relayed = editMessage(response).popVia().toMessage();
    assert.deepEqual(relayed.headerValues("Via"), request.headerValues("Via"));
    assert.deepEqual(relayed.vias, request.vias);
    const again = editMessage(relayed).popVia().toMessage();
    assert.deepEqual(again.headerValues("Via"), ["SIP/2.0/TCP 192.0.2.7;branch=z9hG4bK0"]);
    assert.ok(lines(wire(again)).includes("v: SIP/2.0/TCP 192.0.2.7;branch=z9hG4bK0"));
  });

  it("refuses request-only edits on a response", () => {
    const response = createResponse(parseRequest(ODD_LINES), 180);
    assert.throws(() => editMessage(response).decrementMaxForwards(), TypeError);
    assert.throws(() => editMessage(response).setRequestUri("sip:x@example.com"), TypeError);
  });
});
