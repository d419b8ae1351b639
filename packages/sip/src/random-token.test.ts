import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newBranch, newCallId, newTag } from "./message-build.js";
import { randomToken } from "./random-token.js";

describe("random tokens", () => {
  it("gives 4 base64url characters per 3 random bytes", () => {
    for (const bytes of [3, 9, 12, 15, 300, 6000]) {
      const token = randomToken(bytes);
      assert.equal(token.length, (bytes / 3) * 4);
      assert.match(token, /^[A-Za-z0-9_-]+$/);
    }
  });

  it("MUST start branches with the magic cookie z9hG4bK (RFC 3261 §8.1.1.7)", () => {
    assert.match(newBranch(), /^z9hG4bK[A-Za-z0-9_-]{16}$/);
    assert.match(newTag(), /^[A-Za-z0-9_-]{12}$/);
    assert.match(newCallId(), /^[A-Za-z0-9_-]{20}$/);
  });

  it("spreads over the whole alphabet, every position alike", () => {
    const seen = Array.from({ length: 16 }, () => new Set<string>());
    for (let i = 0; i < 4000; i++) {
      const token = randomToken(12);
      for (let at = 0; at < token.length; at++) seen[at]?.add(token.charAt(at));
    }
    for (const chars of seen) assert.equal(chars.size, 64);
  });
});
