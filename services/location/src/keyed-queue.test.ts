import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KeyedQueue } from "./keyed-queue.js";

function deferred() {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe("KeyedQueue", () => {
  it("MUST run the tasks of one key one at a time, in the order queued (RFC 3261 §10.3)", async () => {
    const queue = new KeyedQueue();
    const order: string[] = [];
    const gate = deferred();
    const first = queue.run("alice", async () => {
      order.push("first started");
      await gate.promise;
      order.push("first done");
    });
    const second = queue.run("alice", async () => {
      order.push("second started");
    });
    await Promise.resolve();
    assert.deepEqual(order, ["first started"], "the second task waits for the first");
    gate.resolve();
    await Promise.all([first, second]);
    assert.deepEqual(order, ["first started", "first done", "second started"]);
  });

  it("MUST run tasks of different keys without waiting for each other", async () => {
    const queue = new KeyedQueue();
    const gate = deferred();
    const blocked = queue.run("alice", () => gate.promise);
    assert.equal(await queue.run("bob", async () => "bob ran"), "bob ran");
    gate.resolve();
    await blocked;
  });

  it("MUST run the next task of a key after one that failed, and report each outcome", async () => {
    const queue = new KeyedQueue();
    const failed = queue.run("alice", async () => {
      throw new Error("boom");
    });
    const next = queue.run("alice", async () => "next ran");
    await assert.rejects(failed, /boom/);
    assert.equal(await next, "next ran");
    await queue.idle();
  });
});
