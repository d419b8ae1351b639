import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SipMessage, SipRequest, SipResponse } from "./message.js";
import { getContacts, getExpires, getRecordRoutes, getRoutes } from "./message-headers.js";
import { SipParseError } from "./parse-error.js";
import { parseMessage } from "./parse-message.js";
import { INVITE_LINES, REGISTER_LINES, sipBytes } from "./sample-messages.js";

const SDP = [
  "v=0",
  "o=- 1 1 IN IP4 192.0.2.5",
  "s=-",
  "c=IN IP4 192.0.2.5",
  "t=0 0",
  "m=audio 4000 RTP/AVP 0",
  "",
].join("\r\n");

function request(data: Buffer | readonly string[]): SipRequest {
  const message = parseMessage(Array.isArray(data) ? sipBytes(data) : (data as Buffer));
  assert.equal(message.kind, "request");
  return message as SipRequest;
}

function response(lines: readonly string[]): SipResponse {
  const message = parseMessage(sipBytes(lines));
  assert.equal(message.kind, "response");
  return message as SipResponse;
}

/** A minimal valid request around extra header lines. */
function withHeaders(extra: readonly string[], method = "OPTIONS"): SipMessage {
  return parseMessage(
    sipBytes([
      `${method} sip:u@example.com SIP/2.0`,
      "Via: SIP/2.0/UDP h.example.com;branch=z9hG4bK1",
      "To: <sip:u@example.com>",
      "From: <sip:c@example.com>;tag=1",
      "Call-ID: c1",
      `CSeq: 1 ${method}`,
      ...extra,
      "Content-Length: 0",
      "",
      "",
    ]),
  );
}

describe("parseMessage: requests (RFC 3261 §7.1, §25)", () => {
  it("reads the start line and the fields every request needs", () => {
    const invite = request(INVITE_LINES);
    assert.equal(invite.method, "INVITE");
    assert.equal(invite.uriText, "sip:bob@example.com");
    assert.equal(invite.uri.user, "bob");
    assert.equal(invite.maxForwards, 70);
    assert.equal(invite.callId, "a84b4c76e66710@192.0.2.101");
    assert.deepEqual(invite.cseq, { seq: 314160, method: "INVITE" });
    assert.equal(invite.from.displayName, "Alice");
    assert.equal(invite.from.params.get("tag"), "1928301774");
    assert.equal(invite.to.params.has("tag"), false);
    assert.equal(invite.vias.length, 1);
    assert.equal(invite.vias[0]?.branch, "z9hG4bK776asdhds");
    assert.equal(invite.vias[0]?.rport, null);
    assert.equal(invite.body.toString("latin1").startsWith("v=0\r\n"), true);
    assert.equal(invite.body.length, Number(invite.header("Content-Length")));
  });

  it("serializes an untouched message byte for byte", () => {
    for (const lines of [INVITE_LINES, REGISTER_LINES]) {
      const data = sipBytes(lines);
      assert.ok(parseMessage(data).toBuffer().equals(data));
    }
  });

  it("accepts names in any case, white space before the colon, folding and compact forms (RFC 4475 §3.1.1.1)", () => {
    const message = request([
      "INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0",
      "TO :",
      " sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n",
      'from   : "J Rosenberg \\\\\\""       <sip:jdrosen@example.com>',
      "  ;",
      "  tag = 98asjd8",
      "MaX-fOrWaRdS: 0068",
      "Call-ID: wsinv.ndaksdj@192.0.2.1",
      `Content-Length   : ${SDP.length}`,
      "cseq: 0009",
      "  INVITE",
      "Via  : SIP  /   2.0",
      " /UDP",
      "    192.0.2.2;branch=390skdjuw",
      "s :",
      "NewFangledHeader:   newfangled value",
      " continued newfangled value",
      "UnknownHeaderWithUnusualValue: ;;,,;;,;",
      "Content-Type: application/sdp",
      "Route:",
      " <sip:services.example.com;lr;unknownwith=value;unknown-no-value>",
      "v:  SIP  / 2.0  / TCP     spindle.example.com   ;",
      "  branch  =   z9hG4bK9ikj8  ,",
      " SIP  /    2.0   / UDP  192.168.255.111   ; branch=",
      " z9hG4bK30239",
      'm:"Quoted string \\"\\"" <sip:jdrosen@example.com> ; newparam =',
      "      newvalue ;",
      "  secondparam ; q = 0.33",
      "",
      SDP,
    ]);
    assert.equal(message.to.params.get("tag"), "1918181833n");
    assert.equal(message.from.displayName, 'J Rosenberg \\"');
    assert.equal(message.from.params.get("tag"), "98asjd8");
    assert.equal(message.maxForwards, 68);
    assert.deepEqual(message.cseq, { seq: 9, method: "INVITE" });
    assert.deepEqual(
      message.vias.map((via) => [via.transport, via.host, via.branch]),
      [
        ["UDP", "192.0.2.2", "390skdjuw"],
        ["TCP", "spindle.example.com", "z9hG4bK9ikj8"],
        ["UDP", "192.168.255.111", "z9hG4bK30239"],
      ],
    );
    assert.equal(message.header("Subject"), "");
    assert.equal(message.header("newfangledheader"), "newfangled value continued newfangled value");
    assert.deepEqual(message.headerValues("UnknownHeaderWithUnusualValue"), [";;", ";;", ";"]);
    assert.equal(getRoutes(message)[0]?.uri.params.get("unknownwith"), "value");
    const contacts = getContacts(message);
    assert.ok(contacts !== undefined && !contacts.star);
    assert.equal(contacts.contacts[0]?.displayName, 'Quoted string ""');
    assert.equal(contacts.contacts[0]?.params.get("q"), "0.33");
    assert.equal(message.body.toString("latin1"), SDP);
  });

  it("accepts the full range of token characters, escaped control characters in quotes and UTF-8 (RFC 4475 §3.1.1.2)", () => {
    const method = "!interesting-Method0123456789_*+`.%indeed'~";
    const head = [
      `${method} sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com SIP/2.0`,
      "Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~",
      'To: "BEL:\\\x07 NUL:\\\x00 DEL:\\\x7f" <sip:1_unusual.URI~(to-be!sure)&isn\'t+it$/crazy?,/;;*@example.com>',
      `From: token1~\` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%="${Buffer.from("работающий", "utf8").toString("latin1")}";tag=_token~1'+\`*%!-.`,
      "Call-ID: intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{",
      `CSeq: 139122385 ${method}`,
      "Max-Forwards: 255",
      `extensionHeader-!.%*+_\`'~:${Buffer.from("﻿大停電", "utf8").toString("latin1")}`,
      "Content-Length: 0",
      "",
      "",
    ];
    const message = request(head);
    assert.equal(message.method, method);
    assert.equal(message.to.displayName, "BEL:\x07 NUL:\x00 DEL:\x7f");
    assert.equal(message.from.params.get("tag"), "_token~1'+`*%!-.");
    assert.equal(message.uri.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    const extension = message.header("extensionHeader-!.%*+_`'~") ?? "";
    assert.equal(Buffer.from(extension, "latin1").toString("utf8"), "﻿大停電");
    assert.ok(message.toBuffer().equals(sipBytes(head)));
  });

  it("keeps %-escapes of a method literal and compares it with the CSeq method as written (RFC 4475 §3.1.1.4)", () => {
    const message = request([
      "RE%47IST%45R sip:registrar.example.com SIP/2.0",
      'To: "%Z%45" <sip:resource@example.com>',
      'From: "%Z%45" <sip:resource@example.com>;tag=f232jadfj23',
      "Call-ID: esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf",
      "Via: SIP/2.0/TCP host.example.com;branch=z9hG4bK209%fzsnel234",
      "CSeq: 29344 RE%47IST%45R",
      "Max-Forwards: 70",
      "Contact: <sip:alias1@host1.example.com>",
      "C%6Fntact: <sip:alias2@host2.example.com>",
      "Contact: <sip:alias3@host3.example.com>",
      "l: 0",
      "",
      "",
    ]);
    assert.equal(message.method, "RE%47IST%45R");
    assert.equal(message.to.displayName, "%Z%45");
    assert.equal(message.headerValues("Contact").length, 2);
    assert.equal(message.header("c%6fntact"), "<sip:alias2@host2.example.com>");
  });

  it("reads every spelling of a repeated header in order (RFC 4475 §3.1.1.8)", () => {
    const spellings = [
      "Via",
      "v",
      "V",
      "ViA",
      "VIa",
      "VIA",
      "via",
      "viA",
      "vIa",
      "vIA",
      "V ",
      "v  ",
      "Via ",
    ];
    const message = withHeaders(
      spellings.map((name, i) => `${name}: SIP/2.0/TCP sip${i}.example.com`),
    );
    assert.deepEqual(
      message.vias.map((via) => via.host),
      ["h.example.com", ...spellings.map((_, i) => `sip${i}.example.com`)],
    );
    assert.equal(message.headerValues("v").length, spellings.length + 1);
  });

  it("does not require Max-Forwards, Content-Length or a branch (RFC 2543 peers, RFC 4475 §3.4.1)", () => {
    const message = request([
      "INVITE sip:UserB@example.com SIP/2.0",
      "Via: SIP/2.0/UDP iftgw.example.com",
      "From: <sip:+13035551111@ift.client.example.net;user=phone>",
      "Record-Route: <sip:UserB@example.com;maddr=ss1.example.com>",
      "To: sip:+16505552222@ss1.example.net;user=phone",
      "Call-ID: inv2543.1717@ift.client.example.com",
      "CSeq: 56 INVITE",
      "Content-Type: application/sdp",
      "",
      SDP,
    ]);
    assert.equal(message.maxForwards, undefined);
    assert.equal(message.vias[0]?.branch, undefined);
    assert.equal(message.to.params.get("user"), "phone");
    assert.equal(getRecordRoutes(message)[0]?.uri.params.get("maddr"), "ss1.example.com");
    // RFC 3261 §18.3: without Content-Length the body runs to the end of the datagram.
    assert.equal(message.body.toString("latin1"), SDP);
  });

  it("discards datagram bytes past Content-Length (RFC 3261 §18.3, RFC 4475 §3.1.2.1)", () => {
    const first = [
      "REGISTER sip:example.com SIP/2.0",
      "To: sip:j.user@example.com",
      "From: sip:j.user@example.com;tag=43251j3j324",
      "Max-Forwards: 8",
      "I: dblreq.0ha0isndaksdj99sdfafnl3lk233412",
      "Contact: sip:j.user@host.example.com",
      "CSeq: 8 REGISTER",
      "Via: SIP/2.0/UDP 192.0.2.125;branch=z9hG4bKkdjuw23492",
      "Content-Length: 0",
      "",
      "",
    ];
    const data = Buffer.concat([
      sipBytes(first),
      sipBytes(["INVITE sip:joe@example.com SIP/2.0", "t: sip:joe@example.com", "", ""]),
    ]);
    const message = request(data);
    assert.equal(message.method, "REGISTER");
    assert.equal(message.callId, "dblreq.0ha0isndaksdj99sdfafnl3lk233412");
    assert.equal(message.body.length, 0);
    assert.ok(message.toBuffer().equals(sipBytes(first)));
  });

  it("keeps a binary body as bytes, even one holding CRLFCRLF and NUL", () => {
    const body = Buffer.from([0x30, 0x82, 0x00, 0x0d, 0x0a, 0x0d, 0x0a, 0xff, 0x00]);
    const head = sipBytes([
      "MESSAGE sip:kumiko@example.org SIP/2.0",
      "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-;rport",
      "Max-Forwards: 70",
      "To: <sip:kumiko@example.org>",
      "From: <sip:fluffy@example.com>;tag=2fb0dcc9",
      "Call-ID: 3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA..",
      "CSeq: 1 MESSAGE",
      "Content-Type: application/octet-stream",
      `Content-Length: ${body.length}`,
      "",
      "",
    ]);
    const message = request(Buffer.concat([head, body]));
    assert.ok(message.body.equals(body));
    assert.ok(message.toBuffer().equals(Buffer.concat([head, body])));
  });

  it("ignores CRLFs before the start line (RFC 3261 §7.5) and takes the version in any case", () => {
    const register = sipBytes(REGISTER_LINES)
      .toString("latin1")
      .replace("SIP/2.0\r\n", "sip/2.0\r\n");
    const data = Buffer.from(`\r\n\r\n${register}`, "latin1");
    const message = request(data);
    assert.equal(message.method, "REGISTER");
    assert.ok(message.toBuffer().equals(data.subarray(4)));
  });

  it("parses a 64 KiB message", () => {
    const body = Buffer.alloc(64 * 1024, 0x61);
    const head = sipBytes([
      "MESSAGE sip:a@example.com SIP/2.0",
      "Via: SIP/2.0/TCP h.example.com;branch=z9hG4bK1",
      "To: <sip:a@example.com>",
      "From: <sip:b@example.com>;tag=1",
      "Call-ID: big",
      "CSeq: 1 MESSAGE",
      `Content-Length: ${body.length}`,
      "",
      "",
    ]);
    assert.equal(parseMessage(Buffer.concat([head, body])).body.length, body.length);
  });

  it("parses URIs of unknown schemes in the Request-URI, To, From and Contact (RFC 4475 §3.3.2-3.3.4)", () => {
    const message = request([
      "REGISTER sip:example.com SIP/2.0",
      "To: isbn:2983792873",
      "From: <http://www.example.com>;tag=3234233",
      "Call-ID: unksm2.daksdj@hyphenated-host.example.com",
      "CSeq: 234902 REGISTER",
      "Max-Forwards: 70",
      "Via: SIP/2.0/UDP 192.0.2.21:5060;branch=z9hG4bKkdjuw",
      "Contact: <name:John_Smith>",
      "l: 0",
      "",
      "",
    ]);
    assert.equal(message.to.uri.scheme, "isbn");
    assert.equal(message.from.uri.scheme, "http");
    const contacts = getContacts(message);
    assert.ok(contacts !== undefined && !contacts.star);
    assert.equal(contacts.contacts[0]?.uri.opaque, "John_Smith");
    const options = request([
      "OPTIONS nobodyKnowsThisScheme:totallyopaquecontent SIP/2.0",
      "To: sip:user@example.com",
      "From: sip:caller@example.net;tag=384",
      "Max-Forwards: 3",
      "Call-ID: unkscm.nasdfasser0q239nwsdfasdkl34",
      "CSeq: 3923423 OPTIONS",
      "Via: SIP/2.0/TCP host9.example.com;branch=z9hG4bKkdjuw39234",
      "Content-Length: 0",
      "",
      "",
    ]);
    assert.equal(options.uri.scheme, "nobodyknowsthisscheme");
  });
});

describe("parseMessage: responses (RFC 3261 §7.2)", () => {
  it("reads status and reason, an empty reason and a UTF-8 reason (RFC 4475 §3.1.1.9, §3.1.1.12)", () => {
    const common = [
      "Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe",
      "Via: SIP/2.0/UDP 255.255.255.255;branch=z9hG4bK1saber23",
      "Call-ID: noreason.asndj203insdf99223ndf",
      "CSeq: 35 INVITE",
      "From: <sip:user@example.com>;tag=39ansfi3",
      "To: <sip:user@example.edu>;tag=902jndnke3",
      "Content-Length: 0",
      "",
      "",
    ];
    const trying = response(["SIP/2.0 100 ", ...common]);
    assert.equal(trying.status, 100);
    assert.equal(trying.reason, "");
    assert.equal(trying.vias[1]?.host, "255.255.255.255");
    const reason = Buffer.from("= 2**3 * 5**2 но сто девяносто девять - простое", "utf8").toString(
      "latin1",
    );
    const ok = response([`SIP/2.0 200 ${reason}`, ...common]);
    assert.equal(ok.status, 200);
    assert.equal(ok.reason, reason);
    // A response's CSeq method is the request's, whatever it is.
    assert.equal(ok.cseq.method, "INVITE");
  });
});

describe("header access", () => {
  it("looks names up case-insensitively and by compact form", () => {
    const message = request(INVITE_LINES);
    assert.equal(message.header("v"), message.header("VIA"));
    assert.equal(message.header("i"), "a84b4c76e66710@192.0.2.101");
    assert.equal(message.header("K"), "replaces");
    assert.deepEqual(message.headerValues("supported"), ["replaces", "timer"]);
    assert.equal(message.header("X-Absent"), undefined);
    assert.deepEqual(message.headerValues("X-Absent"), []);
  });

  it("keeps the fields in order with their names as written and values unfolded", () => {
    const message = withHeaders(["Subject: a,", "  b", "x-custom  :  value  "]);
    const names = message.headers.map((field) => field.name);
    assert.deepEqual(names, [
      "Via",
      "To",
      "From",
      "Call-ID",
      "CSeq",
      "Subject",
      "x-custom",
      "Content-Length",
    ]);
    assert.equal(message.headers[5]?.value, "a, b");
    assert.equal(message.headers[6]?.value, "value");
  });

  it("does not split credentials, challenges or dates on commas, but splits lists and repeated fields", () => {
    const message = withHeaders([
      'Authorization: Digest username="a", realm="x", nonce="n", uri="sip:x", response="r"',
      'Authorization: Digest username="b", realm="y", nonce="n", uri="sip:x", response="r"',
      'WWW-Authenticate: Digest realm="x", nonce="n"',
      "Date: Sat, 13 Nov 2010 23:29:00 GMT",
      "Allow: INVITE, ACK",
      "Allow: BYE",
      'Accept: "a,b"/x, text/plain',
    ]);
    assert.equal(message.headerValues("authorization").length, 2);
    assert.equal(message.header("WWW-Authenticate"), 'Digest realm="x", nonce="n"');
    assert.equal(message.header("date"), "Sat, 13 Nov 2010 23:29:00 GMT");
    assert.deepEqual(message.headerValues("allow"), ["INVITE", "ACK", "BYE"]);
    assert.equal(message.header("allow"), "INVITE");
    assert.deepEqual(message.headerValues("accept"), ['"a,b"/x', "text/plain"]);
  });

  it("parses Route, Contact and Expires on first use and reports malformed ones then (RFC 4475 §3.1.2.13)", () => {
    const message = withHeaders(
      ["Contact: sip:user@example.com?Route=%3Csip:sip.example.com%3E", "Expires: 3600"],
      "REGISTER",
    );
    assert.equal(getExpires(message), 3600);
    assert.deepEqual(getRoutes(message), []);
    assert.throws(
      () => getContacts(message),
      (error: unknown) => error instanceof SipParseError && error.reason === "Bad Contact",
    );
    const star = withHeaders(["Contact: *", "Expires: 0"], "REGISTER");
    assert.deepEqual(getContacts(star), { star: true });
    assert.equal(getContacts(withHeaders([])), undefined);
    assert.equal(getExpires(withHeaders([])), undefined);
  });
});
