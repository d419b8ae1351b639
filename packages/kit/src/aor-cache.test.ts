import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AorCache } from "./aor-cache.js";
import { ManualClock } from "./testing.js";

const ALICE = { md5: "a".repeat(32), sha256: "b".repeat(64) };
const BOB = { md5: "c".repeat(32), sha256: "d".repeat(64) };

function cache(clock = new ManualClock(), maxEntries = 10) {
  return new AorCache<typeof ALICE>({
    maxEntries,
    positiveTtlMs: 60_000,
    negativeTtlMs: 5_000,
    clock,
  });
}

describe("AorCache", () => {
  it("returns what was stored, and undefined for a miss", () => {
    const ha1s = cache();
    ha1s.set("alice", "example.com", ALICE, ha1s.generation);
    assert.deepEqual(ha1s.get("alice", "example.com"), ALICE);
    assert.equal(ha1s.get("bob", "example.com"), undefined);
  });

  it("matches usernames exactly and domains case-insensitively", () => {
    const ha1s = cache();
    ha1s.set("alice", "Example.COM", ALICE, ha1s.generation);
    assert.deepEqual(ha1s.get("alice", "example.com"), ALICE);
    assert.equal(ha1s.get("Alice", "example.com"), undefined);
  });

  it("remembers an unknown user (null) only for the short negative TTL", () => {
    const clock = new ManualClock();
    const ha1s = cache(clock);
    ha1s.set("ghost", "example.com", null, ha1s.generation);
    assert.equal(ha1s.get("ghost", "example.com"), null);
    clock.advance(5_000);
    assert.equal(ha1s.get("ghost", "example.com"), undefined);
  });

  it("expires a known user after the positive TTL", () => {
    const clock = new ManualClock();
    const ha1s = cache(clock);
    ha1s.set("alice", "example.com", ALICE, ha1s.generation);
    clock.advance(59_999);
    assert.deepEqual(ha1s.get("alice", "example.com"), ALICE);
    clock.advance(1);
    assert.equal(ha1s.get("alice", "example.com"), undefined);
  });

  it("drops an entry on invalidate", () => {
    const ha1s = cache();
    ha1s.set("alice", "example.com", ALICE, ha1s.generation);
    ha1s.invalidate("alice", "EXAMPLE.com");
    assert.equal(ha1s.get("alice", "example.com"), undefined);
  });

  it("does not cache a value read before an invalidation that happened while it was read", () => {
    const ha1s = cache();
    const generation = ha1s.generation;
    ha1s.invalidate("alice", "example.com");
    ha1s.set("alice", "example.com", ALICE, generation);
    assert.equal(ha1s.get("alice", "example.com"), undefined);
  });

  it("evicts the least recently used entry when full", () => {
    const ha1s = cache(new ManualClock(), 2);
    ha1s.set("alice", "example.com", ALICE, ha1s.generation);
    ha1s.set("bob", "example.com", BOB, ha1s.generation);
    ha1s.get("alice", "example.com");
    ha1s.set("carol", "example.com", null, ha1s.generation);
    assert.equal(ha1s.size, 2);
    assert.equal(ha1s.get("bob", "example.com"), undefined);
    assert.deepEqual(ha1s.get("alice", "example.com"), ALICE);
  });

  it("keeps at most maxEntries subscribers however many are cached", () => {
    const ha1s = cache(new ManualClock(), 4);
    for (let i = 0; i < 100; i++) {
      ha1s.set(`user${i}`, "example.com", ALICE, ha1s.generation);
      assert.ok(ha1s.size <= 4, `size ${ha1s.size}`);
    }
    assert.deepEqual(ha1s.get("user99", "example.com"), ALICE);
    assert.equal(ha1s.get("user0", "example.com"), undefined);
  });

  it("clear() drops every entry and refuses values read before it", () => {
    const ha1s = cache();
    const generation = ha1s.generation;
    ha1s.set("alice", "example.com", ALICE, generation);
    ha1s.clear();
    ha1s.set("bob", "example.com", BOB, generation);
    assert.equal(ha1s.size, 0);
  });
});
