import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SipParseError } from "@switchboard/sip";
import {
  FakeUpstream,
  sipRequest,
  testContext,
  testIdentity,
  testRouteDeps,
} from "../testing/unit-support.js";
import { registerReply, save, saveRequest } from "./steps-registrar.js";

const identity = testIdentity();
const aor = { username: "1000", domain: "example.com" };

function register(headers: readonly string[]) {
  return testContext(
    sipRequest("REGISTER", "sip:example.com", ["To: <sip:1000@example.com>", ...headers]),
  );
}

describe("save: the location.v1.save request", () => {
  it("carries each Contact with its parameters, Expires, Call-ID, CSeq, Path and User-Agent", () => {
    const ctx = register([
      "CSeq: 42 REGISTER",
      'Contact: <sip:1000@198.51.100.7:5060>;expires=300;q=0.5;+sip.instance="<urn:uuid:1>";reg-id=1',
      "Expires: 600",
      "Path: <sip:edge.example.net;lr>",
      "User-Agent: Phone\t1.0",
    ]);
    const request = saveRequest(ctx, identity, aor);
    assert.deepEqual(request.contacts, [
      {
        uri: "sip:1000@198.51.100.7:5060",
        expires: 300,
        q: 0.5,
        instance: "<urn:uuid:1>",
        regId: 1,
      },
    ]);
    assert.equal(request.headerExpires, 600);
    assert.equal(request.callId, "call-1@198.51.100.7");
    assert.equal(request.cseq, 42);
    assert.deepEqual(request.path, ["<sip:edge.example.net;lr>"]);
    assert.equal(request.userAgent, "Phone 1.0", "control characters become spaces");
    assert.equal(request.socket, "udp:192.0.2.1:5060");
    assert.equal(request.received, undefined, "the contact is where the REGISTER came from");
  });

  it("passes the source address as received when a NAT rewrote it (RFC 3581)", () => {
    const ctx = register(["Contact: <sip:1000@10.0.0.5:5060>"]);
    assert.equal(saveRequest(ctx, identity, aor).received, "udp:198.51.100.7:5060");
  });

  it('passes Contact: * as "*" and no Contact as a query', () => {
    assert.equal(saveRequest(register(["Contact: *", "Expires: 0"]), identity, aor).contacts, "*");
    assert.deepEqual(saveRequest(register([]), identity, aor).contacts, []);
  });

  it("refuses a malformed Path (answered 400)", () => {
    assert.throws(() => saveRequest(register(["Path: <<<"]), identity, aor), SipParseError);
  });

  it("MUST NOT save without an authenticated user", async () => {
    const upstream = new FakeUpstream();
    const result = await save(register([]), testRouteDeps(upstream));
    assert.ok(result.action === "reply" && result.reply.outcome === "to-mismatch");
    assert.equal(upstream.calls.length, 0);
  });
});

describe("save: location's answer as the REGISTER's response (RFC 3261 §10.3)", () => {
  const now = new Date(Date.UTC(2025, 0, 2, 3, 4, 5));

  it("MUST answer 200 with a Contact and its expires per binding, and a Date", () => {
    const result = registerReply(
      {
        ok: true,
        bindings: [
          { uri: "sip:1000@198.51.100.7", expires: 300, q: 1 },
          { uri: "sip:1000@10.0.0.5", expires: 60, q: 0.5, instance: "<urn:uuid:1>", regId: 2 },
        ],
      },
      now,
    );
    assert.ok(result.action === "reply");
    assert.equal(result.reply.outcome, "registered");
    assert.deepEqual(result.reply.headers, [
      { name: "Contact", value: "<sip:1000@198.51.100.7>;expires=300" },
      {
        name: "Contact",
        value: '<sip:1000@10.0.0.5>;expires=60;q=0.5;+sip.instance="<urn:uuid:1>";reg-id=2',
      },
      { name: "Date", value: "Thu, 02 Jan 2025 03:04:05 GMT" },
    ]);
  });

  it("MUST answer 423 with Min-Expires for an interval too brief", () => {
    const result = registerReply({ ok: false, reason: "interval-too-brief", minExpires: 60 }, now);
    assert.ok(result.action === "reply" && result.reply.outcome === "interval-too-brief");
    assert.deepEqual(result.reply.headers, [{ name: "Min-Expires", value: "60" }]);
  });

  it("maps the other refusals to out-of-order, too-many-contacts and 400 with location's reason", () => {
    const outcome = (response: Parameters<typeof registerReply>[0]) => {
      const result = registerReply(response, now);
      return result.action === "reply" ? [result.reply.outcome, result.reply.reason] : [];
    };
    assert.deepEqual(outcome({ ok: false, reason: "out-of-order" }), ["out-of-order", undefined]);
    assert.deepEqual(outcome({ ok: false, reason: "too-many-contacts", max: 10 }), [
      "too-many-contacts",
      undefined,
    ]);
    assert.deepEqual(outcome({ ok: false, reason: "invalid", message: "Bad Contact" }), [
      "invalid-register",
      "Bad Contact",
    ]);
  });
});
