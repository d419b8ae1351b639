// Mutates valid messages at random and checks that the parser only ever
// returns a message or throws SipParseError, quickly, and that whatever parses
// also survives forwarding edits and serialization.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { SipMessage } from "./message.js";
import { editMessage } from "./message-edit.js";
import { getContacts, getExpires, getRoutes } from "./message-headers.js";
import { SipParseError } from "./parse-error.js";
import { responseForParseError } from "./parse-error-response.js";
import { parseMessage } from "./parse-message.js";
import { INVITE_LINES, REGISTER_LINES, sipBytes } from "./sample-messages.js";

/** Generous bound for one parse: a guard against super-linear work, not a benchmark. */
const MAX_PARSE_MS = 10;

const SEEDS = [
  sipBytes(INVITE_LINES),
  sipBytes(REGISTER_LINES),
  sipBytes([
    "SIP/2.0 200 OK",
    "v: SIP/2.0/UDP 203.0.113.1;branch=z9hG4bKp;received=192.0.2.1, SIP/2.0/TCP [2001:db8::1]:5061;branch=z9hG4bKa;rport=5070",
    "TO :",
    ' "Bob \\"B\\"" <sip:bob@example.com>;tag=99',
    "f: <sips:alice%40home@example.com:5061;transport=tls>;tag=1",
    "i: x@y",
    "CSeq: 7 REGISTER",
    'Contact: <sip:a@192.0.2.1>;expires=60;q=0.5, <sip:b@[2001:db8::2]>;+sip.instance="<urn:uuid:1>";reg-id=1',
    "Record-Route: <sip:p1.example.com;lr>",
    "Route: <sip:p2.example.com;lr>",
    "Expires: 60",
    "l: 4",
    "",
    "abcd",
  ]),
];

const SPECIAL = [
  0x0d, 0x0a, 0x00, 0x22, 0x3c, 0x3e, 0x2c, 0x3b, 0x3a, 0x20, 0x25, 0x5c, 0x40, 0x09,
];

type Mutation =
  | { kind: "flip"; at: number; byte: number }
  | { kind: "truncate"; at: number }
  | { kind: "duplicate"; at: number; length: number }
  | { kind: "insert"; at: number; byte: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant("flip" as const),
    at: fc.nat(),
    byte: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("duplicate" as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 200 }),
  }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    byte: fc.constantFrom(...SPECIAL),
  }),
);

function mutate(data: Buffer, change: Mutation): Buffer {
  if (data.length === 0) return data;
  const at = change.at % data.length;
  switch (change.kind) {
    case "flip": {
      const copy = Buffer.from(data);
      copy[at] = change.byte;
      return copy;
    }
    case "truncate":
      return data.subarray(0, at);
    case "duplicate":
      return Buffer.concat([data.subarray(0, at + change.length), data.subarray(at)]);
    case "insert":
      return Buffer.concat([data.subarray(0, at), Buffer.from([change.byte]), data.subarray(at)]);
  }
}

/**
 * The quickest of up to three parses of `data`, in milliseconds: one slow run
 * can be a garbage collection or a compilation, three cannot.
 */
function fastestParse(data: Buffer): number {
  let fastest = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 3 && fastest >= MAX_PARSE_MS; attempt++) {
    const started = performance.now();
    try {
      parseMessage(data);
    } catch {
      // Only the time matters here; the outcome is checked by the property.
    }
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

/** What a proxy does with a message it could parse; all of it must work on any parsed message. */
function forward(message: SipMessage): void {
  getRoutes(message);
  getContacts(message);
  getExpires(message);
  const editor = editMessage(message);
  if (message.kind === "request") {
    editor
      .setViaReceived("192.0.2.200", 40000)
      .pushVia("SIP/2.0/UDP 203.0.113.9;branch=z9hG4bKfuzz");
    if (message.maxForwards !== 0) editor.decrementMaxForwards();
    if (message.header("Route") !== undefined) editor.popRoute();
  } else {
    editor.popVia();
  }
  const out = editor.removeHeaders("Proxy-Authorization").toBuffer();
  // What the editor writes must parse again (a response may lose its only Via).
  if (message.kind === "request" || message.vias.length > 1) parseMessage(out);
}

const property = fc.property(
  fc.constantFrom(...SEEDS),
  fc.array(mutation, { minLength: 1, maxLength: 6 }),
  (seed, changes) => {
    const data = changes.reduce(mutate, seed);
    let message: SipMessage | undefined;
    try {
      message = parseMessage(data);
    } catch (error) {
      assert.ok(error instanceof SipParseError, `parseMessage threw ${String(error)}`);
      responseForParseError(error)?.toBuffer();
    }
    const elapsed = fastestParse(data);
    assert.ok(elapsed < MAX_PARSE_MS, `parse took ${elapsed.toFixed(1)} ms`);
    if (message === undefined) return;
    try {
      forward(message);
    } catch (error) {
      assert.ok(error instanceof SipParseError, `forwarding threw ${String(error)}`);
    }
  },
);

function run(seed: number, numRuns: number): void {
  try {
    fc.assert(property, { seed, numRuns });
  } catch (error) {
    throw new Error(`fuzz failure with seed ${seed} (rerun with this seed to reproduce)`, {
      cause: error,
    });
  }
}

describe("parseMessage under random mutation", () => {
  it("only returns a message or throws SipParseError, within a few milliseconds (fixed seed)", () => {
    run(20240601, 3000);
  });

  it("does the same for a fresh random seed", () => {
    run(Math.floor(Math.random() * 2 ** 31), 1000);
  });

  it("survives large inputs: many folds, commas, quotes and parameters", () => {
    const valid = (extra: string) =>
      sipBytes([
        "OPTIONS sip:a@example.com SIP/2.0",
        "Via: SIP/2.0/UDP h.example.com;branch=z9hG4bKx",
        "To: <sip:a@example.com>",
        "From: <sip:b@example.com>;tag=1",
        "Call-ID: heavy",
        "CSeq: 1 OPTIONS",
        extra,
        "",
        "",
      ]);
    const heavy = [
      valid(`Via: ${"SIP/2.0/UDP h;branch=z9hG4bKx, ".repeat(2000)}`),
      valid(`Subject: ${'"'.repeat(30000)}`),
      valid(`Route: <sip:a${Array.from({ length: 15000 }, (_, i) => `;u${i}`).join("")}>`),
      valid(`Route: <sip:a;lr>${Array.from({ length: 15000 }, (_, i) => `;h${i}=1`).join("")}`),
      valid(["X-A: a", ...Array.from({ length: 20000 }, () => " b")].join("\r\n")),
      valid(`Contact: ${"<sip:a@b>,".repeat(6000)}<sip:c@d>`),
    ];
    const parseFully = (data: Buffer): void => {
      try {
        const message = parseMessage(data);
        getRoutes(message);
        getContacts(message);
      } catch (error) {
        assert.ok(error instanceof SipParseError);
      }
    };
    for (const data of heavy) {
      // Best of three, so that a pause of a loaded machine (GC, another process) is not
      // taken for quadratic work, which would take seconds on inputs this size.
      let fastest = Number.POSITIVE_INFINITY;
      for (let run = 0; run < 3 && fastest >= 200; run++) {
        const started = performance.now();
        parseFully(data);
        fastest = Math.min(fastest, performance.now() - started);
      }
      assert.ok(fastest < 200, `large input parsed in linear time (best of 3: ${fastest} ms)`);
    }
  });
});
