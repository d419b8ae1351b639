import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { z } from "zod";
import { InvalidEventError, publishEvent, subscribeEvents } from "./events.js";
import { encodeJson } from "./json.js";
import type { Listener } from "./listener.js";
import { createLogger } from "./logger.js";
import { connectNats, type NatsConnection, natsReadinessCheck } from "./nats.js";

const logger = createLogger({ service: "kit-test", level: "silent" });
const servers = "nats://127.0.0.1:4222";
const prefix = `kit_events_${randomUUID().slice(0, 8)}`;
const Changed = z.object({ username: z.string(), domain: z.string() });

let nc: NatsConnection;
const listeners: Listener[] = [];

before(async () => {
  nc = await connectNats({ servers, name: "kit-events-test", logger });
});

after(async () => {
  for (const listener of listeners) await listener.stop();
  await nc.drain();
});

/** Resolves with the first `count` events the listener's handler receives. */
function collect(subject: string, count: number) {
  const events: unknown[] = [];
  let done = () => {};
  const all = new Promise<unknown[]>((resolve) => {
    done = () => resolve(events);
  });
  const listener = subscribeEvents(
    nc,
    subject,
    Changed,
    (event) => {
      events.push(event);
      if (events.length === count) done();
    },
    { logger },
  );
  listeners.push(listener);
  return all;
}

describe("events", () => {
  it("MUST deliver a published event to every subscribed instance", async () => {
    const subject = `${prefix}.changed.1`;
    const first = collect(subject, 1);
    const second = collect(subject, 1);
    await nc.flush();
    publishEvent(nc, subject, Changed, { username: "1000", domain: "example.com" });
    const expected = [{ username: "1000", domain: "example.com" }];
    assert.deepEqual(await first, expected);
    assert.deepEqual(await second, expected);
  });

  it("MUST refuse to publish an event that breaks its schema", () => {
    const bad = { username: "1000" } as unknown as z.input<typeof Changed>;
    assert.throws(() => publishEvent(nc, `${prefix}.changed.2`, Changed, bad), InvalidEventError);
  });

  it("MUST drop malformed and invalid events and keep listening", async () => {
    const subject = `${prefix}.changed.3`;
    const received = collect(subject, 1);
    await nc.flush();
    nc.publish(subject, new TextEncoder().encode("not json"));
    nc.publish(subject, encodeJson({ username: 7 }));
    publishEvent(nc, subject, Changed, { username: "1001", domain: "example.com" });
    assert.deepEqual(await received, [{ username: "1001", domain: "example.com" }]);
  });
});

describe("natsReadinessCheck", () => {
  it("MUST pass while connected and fail once the connection is closed", async () => {
    const own = await connectNats({ servers: [servers], name: "kit-ready-test", logger });
    const check = natsReadinessCheck(own);
    assert.equal(check.name, "nats");
    await check.check();
    await own.close();
    await assert.rejects(check.check(), /connection closed/);
  });
});
