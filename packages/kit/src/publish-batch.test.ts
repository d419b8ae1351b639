import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { connect, type Msg } from "nats";
import { PublishBatch } from "./publish-batch.js";

const NATS_URL = process.env.NATS_URL ?? "nats://127.0.0.1:4222";

describe("PublishBatch", () => {
  it("delivers in order what was published at different depths of async code, with reply subjects", async () => {
    const nc = await connect({ servers: NATS_URL });
    try {
      const subject = `kit_batch_${randomUUID().slice(0, 8)}`;
      const received: Msg[] = [];
      const all = new Promise<void>((resolve) => {
        nc.subscribe(subject, {
          callback: (_error, msg) => {
            received.push(msg);
            if (received.length === 3) resolve();
          },
        });
      });
      await nc.flush();
      const batch = new PublishBatch(nc);
      const text = (value: string) => new TextEncoder().encode(value);
      const failures: unknown[] = [];
      const sent = [batch.publish(subject, text("a"), "reply.a", (e) => failures.push(e))];
      await Promise.resolve();
      sent.push(batch.publish(subject, text("b"), undefined, (e) => failures.push(e)));
      await Promise.resolve().then(() => undefined);
      sent.push(batch.publish(subject, text("c"), undefined, (e) => failures.push(e)));
      await Promise.all(sent);
      await all;
      assert.deepEqual(
        received.map((msg) => [new TextDecoder().decode(msg.data), msg.reply ?? ""]),
        [
          ["a", "reply.a"],
          ["b", ""],
          ["c", ""],
        ],
      );
      assert.deepEqual(failures, []);
    } finally {
      await nc.close();
    }
  });

  it("spaces batches apart while the process is busy", async () => {
    const nc = await connect({ servers: NATS_URL });
    try {
      // When each message reaches the connection; the spacing is counted from there, not
      // from when this test's code resumes (later on a loaded machine).
      const handedOver: number[] = [];
      const publish = nc.publish.bind(nc);
      nc.publish = (...args) => {
        handedOver.push(performance.now());
        publish(...args);
      };
      const batch = new PublishBatch(nc, { isBusy: () => true, busySpacingMs: 50 });
      const subject = `kit_batch_${randomUUID().slice(0, 8)}`;
      await batch.publish(subject, new Uint8Array(), undefined, () => {});
      await batch.publish(subject, new Uint8Array(), undefined, () => {});
      const [first = 0, second = 0] = handedOver;
      assert.equal(handedOver.length, 2);
      // Timers count in whole milliseconds of the event loop's clock: allow for that.
      assert.ok(second - first >= 45, `the second batch went ${second - first} ms after the first`);
    } finally {
      await nc.close();
    }
  });

  it("reports to onError, and still resolves, what a closed connection refuses", async () => {
    const nc = await connect({ servers: NATS_URL });
    await nc.close();
    const failures: unknown[] = [];
    await new PublishBatch(nc).publish("kit_batch.closed", new Uint8Array(), undefined, (e) =>
      failures.push(e),
    );
    assert.equal(failures.length, 1);
    assert.match(String(failures[0]), /CONNECTION_CLOSED/);
  });
});
