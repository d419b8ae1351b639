import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { contactsInPreferenceOrder, type StoredBinding } from "./binding.js";
import {
  applyRegister,
  type RegisterOutcome,
  type RegisterRequest,
  type RegistrarLimits,
} from "./registrar.js";

const LIMITS: RegistrarLimits = {
  minExpires: 60,
  maxExpires: 3600,
  defaultExpires: 3600,
  maxContacts: 3,
};
const T0 = 1_700_000_000_000;

// ruids are unique across the whole file, as they are in a running registrar.
let lastRuid = 0;
function ruids(): () => string {
  return () => `r${++lastRuid}`;
}

function register(overrides: Partial<RegisterRequest>): RegisterRequest {
  return { contacts: [], callId: "call-1", cseq: 1, ...overrides };
}

function accepted(outcome: RegisterOutcome): Extract<RegisterOutcome, { ok: true }> {
  assert.equal(outcome.ok, true, `expected the REGISTER accepted, got ${JSON.stringify(outcome)}`);
  return outcome as Extract<RegisterOutcome, { ok: true }>;
}

/** Registers `uri` with a fresh state and returns the resulting bindings. */
function registered(overrides: Partial<RegisterRequest>, now = T0): readonly StoredBinding[] {
  return accepted(applyRegister([], register(overrides), now, LIMITS, ruids())).bindings;
}

const uris = (bindings: readonly StoredBinding[]) => bindings.map((b) => b.contact);

describe("applyRegister (RFC 3261 §10.3)", () => {
  it("adds a binding for a new contact with the default expiration when none is given", () => {
    const outcome = accepted(
      applyRegister(
        [],
        register({
          contacts: [{ uri: "sip:alice@192.0.2.1:5062" }],
          received: "udp:203.0.113.5:5062",
        }),
        T0,
        LIMITS,
        ruids(),
      ),
    );
    assert.equal(outcome.bindings.length, 1);
    const [binding] = outcome.bindings;
    assert.equal(binding?.contact, "sip:alice@192.0.2.1:5062");
    assert.equal(binding?.expiresAt, T0 + 3600_000);
    assert.equal(binding?.q, 1);
    assert.equal(binding?.received, "udp:203.0.113.5:5062");
    assert.deepEqual(outcome.upserts, outcome.bindings);
    assert.deepEqual(outcome.removals, []);
  });

  it("stores Call-ID, CSeq, Path, User-Agent, socket, instance and reg-id with the binding", () => {
    const [binding] = registered({
      contacts: [{ uri: "sip:a@192.0.2.1", instance: "<urn:uuid:1>", regId: 2, q: 0.5 }],
      callId: "abc@host",
      cseq: 7,
      path: ["sip:edge1.example.com;lr", "sip:edge2.example.com;lr"],
      userAgent: "phone/1.0",
      socket: "udp:198.51.100.1:5060",
    });
    assert.deepEqual(
      { ...binding, ruid: undefined, expiresAt: undefined, lastModified: undefined },
      {
        ruid: undefined,
        contact: "sip:a@192.0.2.1",
        expiresAt: undefined,
        q: 0.5,
        callId: "abc@host",
        cseq: 7,
        received: null,
        path: ["sip:edge1.example.com;lr", "sip:edge2.example.com;lr"],
        userAgent: "phone/1.0",
        socket: "udp:198.51.100.1:5060",
        instance: "<urn:uuid:1>",
        regId: 2,
        lastModified: undefined,
      },
    );
  });

  it("takes a contact's expires parameter over the Expires header (§10.2.1.1)", () => {
    const bindings = registered({
      contacts: [{ uri: "sip:a@192.0.2.1", expires: 120 }, { uri: "sip:b@192.0.2.1" }],
      headerExpires: 300,
    });
    assert.deepEqual(
      bindings.map((b) => b.expiresAt - T0),
      [120_000, 300_000],
    );
  });

  it("shortens an expiration above the maximum to the maximum", () => {
    const [binding] = registered({ contacts: [{ uri: "sip:a@192.0.2.1", expires: 86_400 }] });
    assert.equal(binding?.expiresAt, T0 + 3600_000);
  });

  it("MUST answer interval-too-brief with Min-Expires for a non-zero expiration below the minimum (§10.3 step 7)", () => {
    const outcome = applyRegister(
      [],
      register({ contacts: [{ uri: "sip:a@192.0.2.1" }], headerExpires: 59 }),
      T0,
      LIMITS,
      ruids(),
    );
    assert.deepEqual(outcome, { ok: false, reason: "interval-too-brief", minExpires: 60 });
  });

  it("accepts exactly the minimum expiration", () => {
    const [binding] = registered({ contacts: [{ uri: "sip:a@192.0.2.1", expires: 60 }] });
    assert.equal(binding?.expiresAt, T0 + 60_000);
  });

  it("refreshes an existing binding, keeping its ruid and updating expiry, CSeq and q", () => {
    const first = registered({ contacts: [{ uri: "sip:a@192.0.2.1" }], headerExpires: 100 });
    const outcome = accepted(
      applyRegister(
        first,
        register({ contacts: [{ uri: "sip:a@192.0.2.1", q: 0.3 }], cseq: 2, headerExpires: 200 }),
        T0 + 50_000,
        LIMITS,
        ruids(),
      ),
    );
    assert.equal(outcome.bindings.length, 1);
    assert.equal(outcome.bindings[0]?.ruid, first[0]?.ruid);
    assert.equal(outcome.bindings[0]?.expiresAt, T0 + 250_000);
    assert.equal(outcome.bindings[0]?.cseq, 2);
    assert.equal(outcome.bindings[0]?.q, 0.3);
    assert.equal(outcome.upserts.length, 1);
  });

  it("matches contacts by URI equality (§19.1.4): host case and escaped unreserved characters do not matter", () => {
    const first = registered({ contacts: [{ uri: "sip:alice@Example.COM;transport=UDP" }] });
    const outcome = accepted(
      applyRegister(
        first,
        register({ contacts: [{ uri: "sip:%61lice@example.com;transport=udp;ob" }], cseq: 2 }),
        T0,
        LIMITS,
        ruids(),
      ),
    );
    assert.equal(outcome.bindings.length, 1, "the refreshed contact must not add a binding");
  });

  it("keeps distinct bindings for URIs differing in user case or port", () => {
    const bindings = registered({
      contacts: [
        { uri: "sip:alice@192.0.2.1" },
        { uri: "sip:ALICE@192.0.2.1" },
        { uri: "sip:alice@192.0.2.1:5060" },
      ],
    });
    assert.equal(bindings.length, 3);
  });

  it("MUST remove a binding whose contact is registered with expires 0 (§10.3 step 8)", () => {
    const first = registered({
      contacts: [{ uri: "sip:a@192.0.2.1" }, { uri: "sip:b@192.0.2.1" }],
    });
    const outcome = accepted(
      applyRegister(
        first,
        register({ contacts: [{ uri: "sip:a@192.0.2.1", expires: 0 }], cseq: 2 }),
        T0,
        LIMITS,
        ruids(),
      ),
    );
    assert.deepEqual(uris(outcome.bindings), ["sip:b@192.0.2.1"]);
    assert.deepEqual(outcome.removals, [first[0]?.ruid]);
    assert.deepEqual(outcome.upserts, []);
  });

  it("treats expires 0 for an unknown contact as nothing to do", () => {
    const outcome = accepted(
      applyRegister(
        [],
        register({ contacts: [{ uri: "sip:a@192.0.2.1" }], headerExpires: 0 }),
        T0,
        LIMITS,
        ruids(),
      ),
    );
    assert.deepEqual(outcome.bindings, []);
    assert.deepEqual(outcome.upserts, []);
  });

  it("MUST remove every binding for Contact: * with Expires: 0 (§10.3 step 6)", () => {
    const first = registered({
      contacts: [{ uri: "sip:a@192.0.2.1" }, { uri: "sip:b@192.0.2.1" }],
    });
    const outcome = accepted(
      applyRegister(
        first,
        register({ contacts: "*", headerExpires: 0, callId: "other" }),
        T0,
        LIMITS,
        ruids(),
      ),
    );
    assert.deepEqual(outcome.bindings, []);
    assert.deepEqual([...outcome.removals].sort(), first.map((b) => b.ruid).sort());
  });

  it("MUST refuse Contact: * without Expires: 0 as invalid (§10.3 step 6)", () => {
    for (const headerExpires of [undefined, 60]) {
      const outcome = applyRegister(
        [],
        register({ contacts: "*", headerExpires }),
        T0,
        LIMITS,
        ruids(),
      );
      assert.equal(outcome.ok, false);
      assert.equal(outcome.ok === false && outcome.reason, "invalid", `Expires: ${headerExpires}`);
    }
  });

  it("MUST abort Contact: * when a binding has the same Call-ID and a CSeq not lower (§10.3 step 6)", () => {
    const first = registered({ contacts: [{ uri: "sip:a@192.0.2.1" }], cseq: 5 });
    const outcome = applyRegister(
      first,
      register({ contacts: "*", headerExpires: 0, cseq: 5 }),
      T0,
      LIMITS,
      ruids(),
    );
    assert.deepEqual(outcome, { ok: false, reason: "out-of-order" });
  });

  it("MUST refuse the whole request when the same Call-ID comes with a CSeq not higher (§10.3 step 7)", () => {
    const first = registered({ contacts: [{ uri: "sip:a@192.0.2.1" }], cseq: 5 });
    for (const cseq of [5, 4]) {
      const outcome = applyRegister(
        first,
        register({ contacts: [{ uri: "sip:new@192.0.2.9" }, { uri: "sip:a@192.0.2.1" }], cseq }),
        T0,
        LIMITS,
        ruids(),
      );
      assert.deepEqual(outcome, { ok: false, reason: "out-of-order" }, `CSeq ${cseq}`);
    }
  });

  it("replaces a binding registered under a different Call-ID whatever its CSeq (§10.3 step 7)", () => {
    const first = registered({ contacts: [{ uri: "sip:a@192.0.2.1" }], callId: "old", cseq: 50 });
    const outcome = accepted(
      applyRegister(
        first,
        register({ contacts: [{ uri: "sip:a@192.0.2.1" }], callId: "new", cseq: 1 }),
        T0,
        LIMITS,
        ruids(),
      ),
    );
    assert.equal(outcome.bindings.length, 1);
    assert.equal(outcome.bindings[0]?.callId, "new");
    assert.equal(outcome.bindings[0]?.cseq, 1);
  });

  it("accepts the same contact twice in one request without calling it out of order", () => {
    const outcome = accepted(
      applyRegister(
        [],
        register({ contacts: [{ uri: "sip:a@192.0.2.1" }, { uri: "sip:a@192.0.2.1", q: 0.2 }] }),
        T0,
        LIMITS,
        ruids(),
      ),
    );
    assert.equal(outcome.bindings.length, 1);
    assert.equal(outcome.bindings[0]?.q, 0.2);
  });

  it("MUST replace the binding of the same +sip.instance and reg-id with the new flow (RFC 5626 §6)", () => {
    const first = registered({
      contacts: [{ uri: "sip:a@192.0.2.1:5062", instance: "<urn:uuid:u1>", regId: 1 }],
      callId: "c1",
    });
    const outcome = accepted(
      applyRegister(
        first,
        register({
          contacts: [{ uri: "sip:a@198.51.100.7:6000", instance: "<urn:uuid:u1>", regId: 1 }],
          callId: "c2",
        }),
        T0,
        LIMITS,
        ruids(),
      ),
    );
    assert.deepEqual(uris(outcome.bindings), ["sip:a@198.51.100.7:6000"]);
    assert.equal(outcome.bindings[0]?.ruid, first[0]?.ruid);
  });

  it("keeps a separate binding for another reg-id of the same instance (RFC 5626 §6)", () => {
    const first = registered({
      contacts: [{ uri: "sip:a@192.0.2.1:5062", instance: "<urn:uuid:u1>", regId: 1 }],
    });
    const outcome = accepted(
      applyRegister(
        first,
        register({
          contacts: [{ uri: "sip:a@198.51.100.7:6000", instance: "<urn:uuid:u1>", regId: 2 }],
          callId: "c2",
        }),
        T0,
        LIMITS,
        ruids(),
      ),
    );
    assert.equal(outcome.bindings.length, 2);
  });

  it("refuses a binding beyond the maximum number of contacts and changes nothing", () => {
    const first = registered({
      contacts: [
        { uri: "sip:a@192.0.2.1" },
        { uri: "sip:b@192.0.2.1" },
        { uri: "sip:c@192.0.2.1" },
      ],
    });
    const outcome = applyRegister(
      first,
      register({ contacts: [{ uri: "sip:d@192.0.2.1" }], cseq: 2 }),
      T0,
      LIMITS,
      ruids(),
    );
    assert.deepEqual(outcome, { ok: false, reason: "too-many-contacts", max: 3 });
  });

  it("still refreshes an AOR already at the maximum", () => {
    const first = registered({
      contacts: [
        { uri: "sip:a@192.0.2.1" },
        { uri: "sip:b@192.0.2.1" },
        { uri: "sip:c@192.0.2.1" },
      ],
    });
    const outcome = applyRegister(
      first,
      register({ contacts: [{ uri: "sip:c@192.0.2.1" }], cseq: 2 }),
      T0,
      LIMITS,
      ruids(),
    );
    assert.equal(outcome.ok, true);
  });

  it("refuses a q outside 0..1 and a malformed Contact URI as invalid", () => {
    for (const contact of [
      { uri: "sip:a@192.0.2.1", q: 1.5 },
      { uri: "sip:a@192.0.2.1", q: -0.1 },
      { uri: "not a uri" },
      { uri: "sip:a@bad host" },
    ]) {
      const outcome = applyRegister([], register({ contacts: [contact] }), T0, LIMITS, ruids());
      assert.equal(outcome.ok === false && outcome.reason, "invalid", JSON.stringify(contact));
    }
  });

  it("applies nothing when a later contact of the same request is refused", () => {
    const first = registered({ contacts: [{ uri: "sip:a@192.0.2.1" }] });
    const outcome = applyRegister(
      first,
      register({
        contacts: [
          { uri: "sip:a@192.0.2.1", expires: 0 },
          { uri: "sip:b@192.0.2.1", expires: 10 },
        ],
        cseq: 2,
      }),
      T0,
      LIMITS,
      ruids(),
    );
    assert.equal(outcome.ok, false);
  });

  it("answers a REGISTER without Contact with the current bindings and changes none (§10.2.3)", () => {
    const first = registered({ contacts: [{ uri: "sip:a@192.0.2.1" }] });
    const outcome = accepted(
      applyRegister(first, register({ contacts: [], cseq: 9 }), T0, LIMITS, ruids()),
    );
    assert.deepEqual(outcome.bindings, first);
    assert.deepEqual(outcome.upserts, []);
    assert.deepEqual(outcome.removals, []);
  });

  it("never returns an expired binding and lists it for removal", () => {
    const first = registered({ contacts: [{ uri: "sip:a@192.0.2.1", expires: 60 }] });
    const outcome = accepted(
      applyRegister(first, register({ contacts: [] }), T0 + 60_000, LIMITS, ruids()),
    );
    assert.deepEqual(outcome.bindings, []);
    assert.deepEqual(outcome.removals, [first[0]?.ruid]);
  });

  it("gives a contact whose binding expired a new binding even with the old Call-ID and CSeq", () => {
    const first = registered({ contacts: [{ uri: "sip:a@192.0.2.1", expires: 60 }], cseq: 5 });
    const outcome = accepted(
      applyRegister(
        first,
        register({ contacts: [{ uri: "sip:a@192.0.2.1" }], cseq: 5 }),
        T0 + 61_000,
        LIMITS,
        () => "fresh",
      ),
    );
    assert.deepEqual(
      outcome.bindings.map((b) => b.ruid),
      ["fresh"],
    );
    assert.deepEqual(outcome.removals, [first[0]?.ruid]);
  });
});

describe("contactsInPreferenceOrder", () => {
  it("orders by q descending, ties by the most recently refreshed first, without expired ones", () => {
    let bindings = registered({
      contacts: [
        { uri: "sip:low@192.0.2.1", q: 0.1 },
        { uri: "sip:old@192.0.2.1", q: 0.5 },
        { uri: "sip:short@192.0.2.1", q: 1, expires: 60 },
      ],
    });
    bindings = accepted(
      applyRegister(
        bindings,
        register({ contacts: [{ uri: "sip:new@192.0.2.1", q: 0.5 }], callId: "c2" }),
        T0 + 1_000,
        { ...LIMITS, maxContacts: 10 },
        ruids(),
      ),
    ).bindings;
    assert.deepEqual(uris(contactsInPreferenceOrder(bindings, T0 + 1_000)), [
      "sip:short@192.0.2.1",
      "sip:new@192.0.2.1",
      "sip:old@192.0.2.1",
      "sip:low@192.0.2.1",
    ]);
    assert.deepEqual(uris(contactsInPreferenceOrder(bindings, T0 + 60_000)), [
      "sip:new@192.0.2.1",
      "sip:old@192.0.2.1",
      "sip:low@192.0.2.1",
    ]);
  });
});
