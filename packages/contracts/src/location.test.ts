import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  LocationLookupResponseSchema,
  LocationSaveRequestSchema,
  LocationSaveResponseSchema,
  ResolveAliasResponseSchema,
} from "./location.js";

const save = {
  aor: { username: "1000", domain: "example.com" },
  contacts: [{ uri: "sip:1000@192.0.2.10:5062", expires: 3600, q: 0.5 }],
  callId: "a84b4c76e66710",
  cseq: 1,
};

describe("location contracts", () => {
  it("MUST accept contacts as a list, as `*`, or as an empty list (a query)", () => {
    for (const contacts of [save.contacts, "*", []]) {
      assert.equal(LocationSaveRequestSchema.safeParse({ ...save, contacts }).success, true);
    }
  });

  it("MUST refuse q outside 0..1, negative expires and a CSeq of 2^31 or more (RFC 3261 §8.1.1.5)", () => {
    const contact = save.contacts[0];
    const bad = [
      { ...save, contacts: [{ ...contact, q: 1.5 }] },
      { ...save, contacts: [{ ...contact, expires: -1 }] },
      { ...save, cseq: 2 ** 31 },
    ];
    for (const request of bad) {
      assert.equal(
        LocationSaveRequestSchema.safeParse(request).success,
        false,
        JSON.stringify(request),
      );
    }
  });

  it("MUST accept transport addresses with IPv4 and bracketed IPv6 hosts only in the documented form", () => {
    const ok = ["udp:203.0.113.5:5062", "tcp:[2001:db8::1]:5060", "wss:edge-1.example.com:443"];
    for (const received of ok) {
      assert.equal(
        LocationSaveRequestSchema.safeParse({ ...save, received }).success,
        true,
        received,
      );
    }
    for (const received of ["203.0.113.5:5062", "udp:203.0.113.5", "sip:203.0.113.5:5060"]) {
      assert.equal(
        LocationSaveRequestSchema.safeParse({ ...save, received }).success,
        false,
        received,
      );
    }
  });

  it("MUST carry the data each refusal needs (Min-Expires for 423, the limit for too-many)", () => {
    assert.equal(
      LocationSaveResponseSchema.safeParse({ ok: false, reason: "interval-too-brief" }).success,
      false,
    );
    const brief = LocationSaveResponseSchema.parse({
      ok: false,
      reason: "interval-too-brief",
      minExpires: 60,
    });
    assert.deepEqual(brief, { ok: false, reason: "interval-too-brief", minExpires: 60 });
    const many = LocationSaveResponseSchema.parse({
      ok: false,
      reason: "too-many-contacts",
      max: 5,
    });
    assert.deepEqual(many, { ok: false, reason: "too-many-contacts", max: 5 });
  });

  it("MUST accept the current bindings on success", () => {
    const response = { ok: true, bindings: [{ uri: "sip:1000@192.0.2.10", expires: 3599, q: 1 }] };
    assert.deepEqual(LocationSaveResponseSchema.parse(response), response);
  });

  it("MUST accept lookup contacts with their routing data and a null alias target", () => {
    const contact = {
      uri: "sip:1000@10.0.0.2:5062",
      q: 1,
      expires: 10,
      received: "udp:203.0.113.5:5062",
      path: ["<sip:edge1.example.com;lr>"],
    };
    assert.deepEqual(LocationLookupResponseSchema.parse({ contacts: [contact] }), {
      contacts: [contact],
    });
    assert.deepEqual(ResolveAliasResponseSchema.parse({ target: null }), { target: null });
  });
});
