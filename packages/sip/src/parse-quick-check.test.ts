import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { SipRequest } from "./message.js";
import { parseMessage } from "./parse-message.js";
import { parseNameAddr } from "./parse-name-addr.js";
import { isPlainNameAddr, isPlainSipUri } from "./parse-quick-check.js";
import { parseUri } from "./parse-uri.js";
import { INVITE_LINES, REGISTER_LINES, sipBytes } from "./sample-messages.js";

function plainUri(text: string): boolean {
  return isPlainSipUri(text, 0, text.length);
}

function plainNameAddr(text: string): boolean {
  return isPlainNameAddr(text, 0, text.length);
}

/** Characters that matter to the URI and name-addr grammars, and a few that never belong. */
const TRICKY = [..."aZ09.-_!~*'()&=+$,;?/:[]@<>\" \t\\%#|{}^`", "\u00e9", "\u007f", "\u0001"];

/** `seed` with up to three characters replaced, inserted or removed. */
function mutated(seeds: readonly string[]): fc.Arbitrary<string> {
  const edit = fc.record({
    at: fc.nat(),
    char: fc.constantFrom(...TRICKY),
    kind: fc.constantFrom("replace", "insert", "remove"),
  });
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(edit, { maxLength: 3 }))
    .map(([seed, edits]) =>
      edits.reduce((text, { at, char, kind }) => {
        const i = at % (text.length + 1);
        if (kind === "insert") return text.slice(0, i) + char + text.slice(i);
        if (kind === "remove") return text.slice(0, i) + text.slice(i + 1);
        return text.slice(0, i) + char + text.slice(i + 1);
      }, seed),
    );
}

const URI_SEEDS = [
  "sip:bob@example.com",
  "sips:a@192.0.2.4:5061;transport=tls",
  "sip:host.example.com",
  "sip:u@[2001:db8::1]",
  "sip:a;b=c@h.example.com;lr",
];

const NAME_ADDR_SEEDS = [
  '"Alice" <sip:alice@example.com>;tag=1928301774',
  "Bob <sip:bob@example.com>",
  "<sip:u@[2001:db8::1]:5060;transport=tcp>;tag=x",
  "A B <sip:h.example.com:5>;p",
  "<sips:a@192.0.2.4>",
];

describe("quick checks of Request-URI and From/To shapes", () => {
  it("admits the shapes phones send", () => {
    for (const uri of URI_SEEDS) assert.ok(plainUri(uri), uri);
    for (const value of NAME_ADDR_SEEDS) assert.ok(plainNameAddr(value), value);
  });

  it("leaves every other shape to the full parser, valid or not", () => {
    for (const uri of [
      "SIP:bob@example.com",
      "sip:b%6Fb@example.com",
      "sip:bob:secret@example.com",
      "sip:bob@example.com;a;b",
      "sip:bob@example.com?subject=x",
      "tel:+1-201-555-0123",
      "sip:bob@exa mple.com",
      "sip:",
    ]) {
      assert.equal(plainUri(uri), false, uri);
    }
    for (const value of [
      "sip:bob@example.com",
      '"A \\"B\\"" <sip:a@example.com>',
      "<sip:a@example.com>;tag=1;x=2",
      '<sip:a@example.com>;tag="q"',
      "<sip:a@example.com> ;tag=1",
      '"unterminated <sip:u@example.com>',
      "Bell, Alexander <sip:a.g.bell@example.com>;tag=43",
    ]) {
      assert.equal(plainNameAddr(value), false, value);
    }
  });

  it("MUST admit only text the full parsers accept (fuzzed)", () => {
    fc.assert(
      fc.property(mutated(URI_SEEDS), (text) => {
        if (plainUri(text)) assert.doesNotThrow(() => parseUri(text), text);
      }),
      { seed: 20240611, numRuns: 20000 },
    );
    fc.assert(
      fc.property(mutated(NAME_ADDR_SEEDS), (text) => {
        if (plainNameAddr(text)) assert.doesNotThrow(() => parseNameAddr(text), text);
      }),
      { seed: 20240612, numRuns: 20000 },
    );
  });

  it("reads a value where it stands in a longer text exactly as the value alone", () => {
    fc.assert(
      fc.property(mutated([...URI_SEEDS, ...NAME_ADDR_SEEDS]), (value) => {
        const around = `X: ${value}\r\n>@"`;
        const start = 3;
        const end = start + value.length;
        assert.equal(isPlainSipUri(around, start, end), plainUri(value));
        assert.equal(isPlainNameAddr(around, start, end), plainNameAddr(value));
      }),
      { seed: 20240613, numRuns: 5000 },
    );
  });

  it("gives a message's From, To and Request-URI the values the full parsers give", () => {
    for (const lines of [INVITE_LINES, REGISTER_LINES]) {
      const request = parseMessage(sipBytes(lines)) as SipRequest;
      assert.deepEqual(request.from, parseNameAddr(request.header("From") ?? ""));
      assert.deepEqual(request.to, parseNameAddr(request.header("To") ?? ""));
      assert.deepEqual(request.uri, parseUri(request.uriText));
      assert.equal(request.from, request.from, "read once, then kept");
    }
  });
});
