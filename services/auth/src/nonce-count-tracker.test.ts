import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock } from "@switchboard/kit/testing";
import { NonceCountTracker, type TrackedNonce } from "./nonce-count-tracker.js";

const LIFETIME_MS = 300_000;

function nonceAt(name: string, issuedAt: number): TrackedNonce {
  return { nonce: name, issuedAt, expiresAt: issuedAt + LIFETIME_MS };
}

describe("NonceCountTracker", () => {
  it("accepts increasing nonce-counts for one nonce (RFC 7616 §3.4)", () => {
    const clock = new ManualClock();
    const tracker = new NonceCountTracker({ maxEntries: 10, clock });
    const nonce = nonceAt("n1", clock.now());
    assert.equal(tracker.record(nonce, 1), "fresh");
    assert.equal(tracker.record(nonce, 2), "fresh");
    assert.equal(tracker.record(nonce, 7), "fresh");
  });

  it("MUST refuse a nonce-count that is not greater than the highest accepted one", () => {
    const clock = new ManualClock();
    const tracker = new NonceCountTracker({ maxEntries: 10, clock });
    const nonce = nonceAt("n1", clock.now());
    tracker.record(nonce, 5);
    assert.equal(tracker.check(nonce, 5), "nonce-reused");
    assert.equal(tracker.record(nonce, 5), "nonce-reused");
    assert.equal(tracker.record(nonce, 4), "nonce-reused");
    assert.equal(tracker.check(nonce, 6), "fresh");
  });

  it("tracks nonces independently", () => {
    const clock = new ManualClock();
    const tracker = new NonceCountTracker({ maxEntries: 10, clock });
    tracker.record(nonceAt("n1", clock.now()), 9);
    assert.equal(tracker.record(nonceAt("n2", clock.now()), 1), "fresh");
  });

  it("tracks a nonce once a count was recorded for it", () => {
    const clock = new ManualClock();
    const tracker = new NonceCountTracker({ maxEntries: 10, clock });
    const nonce = nonceAt("n1", clock.now());
    assert.equal(tracker.tracks("n1"), false);
    tracker.check(nonce, 1);
    assert.equal(tracker.tracks("n1"), false, "check() alone tracks nothing");
    tracker.record(nonce, 1);
    assert.equal(tracker.tracks("n1"), true);
    assert.equal(tracker.tracks("n2"), false);
  });

  it("check() records nothing", () => {
    const clock = new ManualClock();
    const tracker = new NonceCountTracker({ maxEntries: 10, clock });
    const nonce = nonceAt("n1", clock.now());
    assert.equal(tracker.check(nonce, 3), "fresh");
    assert.equal(tracker.record(nonce, 1), "fresh");
  });

  it("forgets nonces once their lifetime has passed", () => {
    const clock = new ManualClock();
    const tracker = new NonceCountTracker({ maxEntries: 10, clock });
    tracker.record(nonceAt("old", clock.now()), 1);
    clock.advance(LIFETIME_MS + 1);
    tracker.record(nonceAt("new", clock.now()), 1);
    assert.equal(tracker.size, 1);
  });

  it("stays within its bound and answers an evicted nonce as stale instead of letting a replay through", () => {
    const clock = new ManualClock();
    const tracker = new NonceCountTracker({ maxEntries: 2, clock });
    const first = nonceAt("first", clock.now());
    tracker.record(first, 1);
    clock.advance(1);
    tracker.record(nonceAt("second", clock.now()), 1);
    clock.advance(1);
    const third = nonceAt("third", clock.now());
    tracker.record(third, 1);
    assert.equal(tracker.size, 2);
    assert.equal(tracker.check(first, 1), "stale-nonce");
    assert.equal(tracker.record(first, 2), "stale-nonce");
    assert.equal(tracker.check(third, 1), "nonce-reused");
  });

  it("keeps at most maxEntries nonces however many are recorded, refusing the dropped ones as stale", () => {
    const clock = new ManualClock();
    const tracker = new NonceCountTracker({ maxEntries: 4, clock });
    const nonces = Array.from({ length: 100 }, (_, i) => nonceAt(`n${i}`, clock.now() + i));
    for (const nonce of nonces) {
      tracker.record(nonce, 1);
      assert.ok(tracker.size <= 4, `size ${tracker.size}`);
    }
    assert.equal(tracker.check(nonces[0] as TrackedNonce, 2), "stale-nonce");
    assert.equal(tracker.check(nonces[99] as TrackedNonce, 2), "fresh");
    assert.equal(tracker.check(nonces[99] as TrackedNonce, 1), "nonce-reused");
  });

  it("after an eviction, still accepts nonces issued later than the evicted one", () => {
    const clock = new ManualClock();
    const tracker = new NonceCountTracker({ maxEntries: 1, clock });
    tracker.record(nonceAt("first", clock.now()), 1);
    clock.advance(1);
    tracker.record(nonceAt("second", clock.now()), 1);
    clock.advance(1);
    assert.equal(tracker.record(nonceAt("third", clock.now()), 1), "fresh");
  });
});
