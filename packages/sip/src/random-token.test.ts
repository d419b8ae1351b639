import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newBranch, newCallId, newTag } from "./message-build.js";
import { randomToken } from "./random-token.js";

describe("random tokens", () => {
  it("gives 2 lowercase hex characters per random byte", () => {
    for (const bytes of [3, 8, 12, 15, 300, 6000]) {
      const token = randomToken(bytes);
      assert.equal(token.length, bytes * 2);
      assert.match(token, /^[0-9a-f]+$/);
    }
  });

  it("MUST start branches with the magic cookie z9hG4bK (RFC 3261 §8.1.1.7)", () => {
    assert.match(newBranch(), /^z9hG4bK[0-9a-f]{24}$/);
    assert.match(newTag(), /^[0-9a-f]{16}$/);
    assert.match(newCallId(), /^[0-9a-f]{30}$/);
  });

  it("MUST NOT spell a header name that naive parsers search for (sipp finds CSeq so)", () => {
    // None of these names can be spelled with digits and the letters a to f.
    for (let i = 0; i < 10_000; i++) {
      assert.doesNotMatch(`${newTag()} ${newBranch()}`, /cseq|via|to|from|call|contact/i);
    }
  });

  it("spreads over the whole alphabet, every position alike", () => {
    const seen = Array.from({ length: 24 }, () => new Set<string>());
    for (let i = 0; i < 1000; i++) {
      const token = randomToken(12);
      for (let at = 0; at < token.length; at++) seen[at]?.add(token.charAt(at));
    }
    for (const chars of seen) assert.equal(chars.size, 16);
  });
});
