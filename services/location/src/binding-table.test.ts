import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StoredBinding } from "./binding.js";
import { BindingTable } from "./binding-table.js";

const T0 = 1_700_000_000_000;

function binding(ruid: string, expiresAt: number): StoredBinding {
  return {
    ruid,
    contact: `sip:${ruid}@192.0.2.1`,
    expiresAt,
    q: 1,
    callId: "c",
    cseq: 1,
    received: null,
    path: null,
    userAgent: null,
    socket: null,
    instance: null,
    regId: null,
    lastModified: T0,
  };
}

const alice = { username: "alice", domain: "example.com" };
const bob = { username: "bob", domain: "example.com" };

describe("BindingTable", () => {
  it("keeps the contact and AOR counts as bindings are set and cleared", () => {
    const table = new BindingTable();
    table.set(alice, [binding("a1", T0 + 1), binding("a2", T0 + 1)]);
    table.set(bob, [binding("b1", T0 + 1)]);
    assert.deepEqual([table.contactCount, table.aorCount], [3, 2]);
    table.set(alice, [binding("a3", T0 + 1)]);
    assert.deepEqual([table.contactCount, table.aorCount], [2, 2]);
    table.set(bob, []);
    assert.deepEqual([table.contactCount, table.aorCount], [1, 1]);
    assert.deepEqual(table.get(bob), []);
  });

  it("tells AORs apart by exact user name", () => {
    const table = new BindingTable();
    table.set(alice, [binding("a1", T0 + 1)]);
    assert.deepEqual(table.get({ username: "Alice", domain: "example.com" }), []);
  });

  it("removes exactly the expired bindings and forgets AORs left empty", () => {
    const table = new BindingTable();
    table.set(alice, [binding("a1", T0), binding("a2", T0 + 1000)]);
    table.set(bob, [binding("b1", T0 - 1)]);
    assert.equal(sum(table.removeExpired(T0, 10)), 2);
    assert.deepEqual(
      table.get(alice).map((b) => b.ruid),
      ["a2"],
    );
    assert.deepEqual([table.contactCount, table.aorCount], [1, 1]);
  });

  it("walks the table a slice of AORs at a time, with each slice's count", () => {
    const table = new BindingTable();
    for (let i = 0; i < 5; i++) {
      table.set({ username: `user${i}`, domain: "example.com" }, [binding(`r${i}`, T0 - i)]);
    }
    // user0's binding expires at T0 itself: expired at T0 as well.
    assert.deepEqual([...table.removeExpired(T0, 2)], [2, 2, 1]);
    assert.equal(table.aorCount, 0);
  });

  it("keeps what was saved while the walk paused between slices", () => {
    const table = new BindingTable();
    const aor = (username: string) => ({ username, domain: "example.com" });
    const users = ["u0", "u1", "u2", "u3"].map(aor);
    for (const [index, user] of users.entries()) table.set(user, [binding(`old${index}`, T0 - 1)]);
    const walk = table.removeExpired(T0, 2);
    assert.deepEqual(walk.next(), { value: 2, done: false });
    // During the pause: u3 (not visited yet) registers again, u0 (visited) too.
    table.set(aor("u3"), [binding("new3", T0 + 60_000)]);
    table.set(aor("u0"), [binding("new0", T0 + 60_000)]);
    assert.equal(sum(walk), 1);
    assert.deepEqual(
      users.map((aor) => table.get(aor).map((b) => b.ruid)),
      [["new0"], [], [], ["new3"]],
    );
  });
});

function sum(counts: Iterable<number>): number {
  let total = 0;
  for (const count of counts) total += count;
  return total;
}
