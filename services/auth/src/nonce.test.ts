import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock } from "@switchboard/kit/testing";
import { MAX_CLOCK_SKEW_MS, NonceCodec } from "./nonce.js";

const LIFETIME_MS = 300_000;

function codec(clock: ManualClock, secret = "test-secret-0123456789abcdef") {
  return new NonceCodec({ secret, lifetimeMs: LIFETIME_MS, clock });
}

/** Flips one character of a base64url string to another valid one. */
function flipCharacter(text: string, index: number): string {
  const replacement = text[index] === "A" ? "B" : "A";
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

describe("NonceCodec", () => {
  it("accepts a nonce it issued, reporting when it was issued and when it expires", () => {
    const clock = new ManualClock();
    const nonces = codec(clock);
    const nonce = nonces.issue();
    clock.advance(1_000);
    assert.deepEqual(nonces.check(nonce), {
      status: "valid",
      issuedAt: clock.now() - 1_000,
      expiresAt: clock.now() - 1_000 + LIFETIME_MS,
    });
  });

  it("issues a different nonce each time, even within one millisecond", () => {
    const nonces = codec(new ManualClock());
    // More than one block of random bytes: no part of a block is used twice.
    const issued = new Set(Array.from({ length: 1000 }, () => nonces.issue()));
    assert.equal(issued.size, 1000);
  });

  it("writes nonces as base64url, safe inside a quoted-string (RFC 7616 §3.3)", () => {
    assert.match(codec(new ManualClock()).issue(), /^[A-Za-z0-9_-]+$/);
  });

  it("accepts a nonce issued by another instance sharing the secret", () => {
    const clock = new ManualClock();
    assert.equal(codec(clock).check(codec(clock).issue()).status, "valid");
  });

  it("accepts a nonce up to the end of its lifetime", () => {
    const clock = new ManualClock();
    const nonces = codec(clock);
    const nonce = nonces.issue();
    clock.advance(LIFETIME_MS);
    assert.equal(nonces.check(nonce).status, "valid");
  });

  it("reports an authentic nonce past its lifetime as stale, so the client is re-challenged with stale=true", () => {
    const clock = new ManualClock();
    const nonces = codec(clock);
    const nonce = nonces.issue();
    clock.advance(LIFETIME_MS + 1);
    assert.deepEqual(nonces.check(nonce), { status: "stale-nonce" });
  });

  it("re-checks the age of a nonce it has already authenticated", () => {
    const clock = new ManualClock();
    const nonces = codec(clock);
    const nonce = nonces.issue();
    assert.equal(nonces.check(nonce).status, "valid");
    clock.advance(LIFETIME_MS + 1);
    assert.deepEqual(nonces.check(nonce), { status: "stale-nonce" });
  });

  it("checks only the age of a nonce the caller knows to be authentic", () => {
    const clock = new ManualClock();
    const nonces = codec(clock);
    const nonce = nonces.issue();
    assert.deepEqual(nonces.check(nonce, true), nonces.check(nonce));
    assert.equal(nonces.check(flipCharacter(nonce, 40), true).status, "valid", "no HMAC");
    assert.equal(nonces.check("garbled", true).status, "bad-nonce");
    clock.advance(LIFETIME_MS + 1);
    assert.deepEqual(nonces.check(nonce, true), { status: "stale-nonce" });
  });

  it("tolerates a peer's clock running slightly ahead, and treats a nonce from far ahead as stale", () => {
    const clock = new ManualClock();
    const aheadClock = new ManualClock(clock.now() + MAX_CLOCK_SKEW_MS);
    const farAheadClock = new ManualClock(clock.now() + MAX_CLOCK_SKEW_MS + 1);
    const nonces = codec(clock);
    assert.equal(nonces.check(codec(aheadClock).issue()).status, "valid");
    assert.equal(nonces.check(codec(farAheadClock).issue()).status, "stale-nonce");
  });

  it("rejects a nonce signed with another secret as bad, even when expired", () => {
    const clock = new ManualClock();
    const foreign = codec(clock, "another-secret-0123456789abcdef").issue();
    assert.deepEqual(codec(clock).check(foreign), { status: "bad-nonce" });
    clock.advance(LIFETIME_MS * 10);
    assert.deepEqual(codec(clock).check(foreign), { status: "bad-nonce" });
  });

  it("rejects a nonce with any altered character as bad (time stamp, random part or tag)", () => {
    const clock = new ManualClock();
    const nonces = codec(clock);
    const nonce = nonces.issue();
    for (const index of [0, 5, 12, 20, 30, 47]) {
      assert.deepEqual(
        nonces.check(flipCharacter(nonce, index)),
        { status: "bad-nonce" },
        `index ${index}`,
      );
    }
  });

  it("rejects garbled nonces as bad without throwing", () => {
    const nonces = codec(new ManualClock());
    const nonce = nonces.issue();
    for (const garbled of [
      "",
      "abc",
      nonce.slice(1),
      `${nonce}A`,
      `${nonce.slice(0, 47)}=`,
      `${nonce.slice(0, 47)}+`,
      "é".repeat(48),
    ]) {
      assert.deepEqual(nonces.check(garbled), { status: "bad-nonce" }, JSON.stringify(garbled));
    }
  });

  it("refuses an empty secret or a non-positive lifetime", () => {
    const clock = new ManualClock();
    assert.throws(() => new NonceCodec({ secret: "", lifetimeMs: 1, clock }), RangeError);
    assert.throws(() => new NonceCodec({ secret: "s", lifetimeMs: 0, clock }), RangeError);
  });
});
