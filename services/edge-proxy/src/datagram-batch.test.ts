import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Destination } from "@switchboard/sip";
import { batchDatagrams } from "./datagram-batch.js";

const SOURCE: Destination = { transport: "UDP", host: "192.0.2.10", port: 5060 };

/** Resolves after the event loop's check phase, when queued batches have run. */
const afterImmediate = () => new Promise((resolve) => setImmediate(resolve));

describe("batchDatagrams", () => {
  it("hands every datagram of a turn over in arrival order, after the reads, in one batch", async () => {
    const handled: string[] = [];
    const flushes: number[] = [];
    const receive = batchDatagrams((data) => {
      handled.push(data.toString());
      // What the NATS client does: one write per microtask checkpoint.
      if (handled.length === 1) queueMicrotask(() => flushes.push(handled.length));
    });
    receive(Buffer.from("a"), SOURCE);
    receive(Buffer.from("b"), SOURCE);
    receive(Buffer.from("c"), SOURCE);
    assert.deepEqual(handled, [], "nothing is handled while the socket is being read");
    await afterImmediate();
    assert.deepEqual(handled, ["a", "b", "c"]);
    assert.deepEqual(flushes, [3], "work started by the whole batch is flushed once");
  });

  it("starts a new batch for datagrams of a later turn", async () => {
    const batches: string[][] = [[]];
    const receive = batchDatagrams((data, source) => {
      assert.equal(source, SOURCE);
      batches.at(-1)?.push(data.toString());
    });
    receive(Buffer.from("first"), SOURCE);
    await afterImmediate();
    batches.push([]);
    receive(Buffer.from("second"), SOURCE);
    await afterImmediate();
    assert.deepEqual(batches, [["first"], ["second"]]);
  });
});
