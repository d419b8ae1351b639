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
    assert.equal(table.removeExpired(T0), 2);
    assert.deepEqual(
      table.get(alice).map((b) => b.ruid),
      ["a2"],
    );
    assert.deepEqual([table.contactCount, table.aorCount], [1, 1]);
  });
});
