import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SipParseError } from "./parse-error.js";
import { parseViaList } from "./parse-via.js";

/** The same Vias in the usual spelling and with white space the grammar allows (SWS, LWS). */
const SPELLINGS: readonly [string, string][] = [
  [
    "SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK776asdhds;rport",
    "SIP/2.0/UDP 192.0.2.101 : 5060 ; branch = z9hG4bK776asdhds ; rport",
  ],
  [
    "SIP/2.0/tcp Pc.Example.COM;received=192.0.2.4;rport=5070;branch=z9hG4bKx",
    "SIP / 2.0 / tcp Pc.Example.COM ;received=192.0.2.4 ;rport=5070 ;branch=z9hG4bKx",
  ],
  ["SIP/2.0/TLS [2001:db8::9]:5061", "SIP/2.0/TLS  [2001:db8::9]:5061  "],
  [
    "SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/UDP b.example.com;branch=z9hG4bK2",
    "SIP/2.0/UDP a.example.com ; branch=z9hG4bK1 ,SIP/2.0/UDP b.example.com;branch=z9hG4bK2",
  ],
];

function rejects(text: string, reason: string): void {
  assert.throws(
    () => parseViaList(text),
    (error) => error instanceof SipParseError && error.message.includes(reason),
    text,
  );
}

describe("Via in the usual spelling (RFC 3261 §20.42)", () => {
  it("reads the same values, parameters included, as from any other spelling", () => {
    for (const [usual, spaced] of SPELLINGS) {
      const read = parseViaList(usual);
      const other = parseViaList(spaced);
      assert.deepEqual(read, other, usual);
      assert.deepEqual(
        read.map((via) => [...via.params]),
        other.map((via) => [...via.params]),
        usual,
      );
    }
  });

  it("reads extension, ttl and maddr parameters and mixed lists", () => {
    const [first, second] = parseViaList(
      "SIP/2.0/UDP h.example.com;branch=z9hG4bKa;ttl=3;maddr=192.0.2.4;x=1, SIP/2.0/UDP g;branch=z9hG4bKb",
    );
    assert.equal(first?.params.get("maddr"), "192.0.2.4");
    assert.equal(first?.params.get("x"), "1");
    assert.equal(second?.host, "g");
    assert.equal(second?.branch, "z9hG4bKb");
  });

  it("rejects what the general grammar rejects, with the same reason (RFC 4475 §3.1.2.3)", () => {
    rejects("SIP/2.0/UDP h;branch=z9hG4bKa;branch=z9hG4bKb", "Duplicate Via parameter");
    rejects("SIP/2.0/UDP h;received=not-an-ip", "Bad Via received");
    rejects("SIP/2.0/UDP h;received", "Bad Via received");
    rejects("SIP/2.0/UDP h;branch=a:b", "Bad Via branch");
    rejects("SIP/2.0/UDP h;branch", "Bad Via branch");
    rejects("SIP/2.0/UDP h;rport=99999", "Bad Via rport");
    rejects("SIP/2.0/UDP h:99999;branch=z9hG4bKa", "Bad Via port");
    rejects("SIP/2.0/UDP h;;branch=z9hG4bKa", "Bad Via parameter");
    rejects("SIP/2.0/UDP h;branch=z9hG4bKa x", "Bad Via");
    rejects("SIP/2.0/UDP h;branch=z9hG4bKa,", "Bad Via protocol");
    rejects("SIP/2.0/UDP bad_host.1;branch=z9hG4bKa", "Bad Via sent-by");
  });
});
