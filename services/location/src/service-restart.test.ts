import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ManualClock } from "@switchboard/kit/testing";
import { DB_MODES } from "./config.js";
import { startLocationService } from "./service.js";
import {
  createTestEnv,
  locationClient,
  registerOf,
  silentLogger,
  type TestEnv,
} from "./test-harness.js";

let env: TestEnv;

before(async () => {
  env = await createTestEnv("restart");
});

after(async () => {
  await env?.cleanup();
});

async function rowCount(where: string, values: unknown[]): Promise<number> {
  const [rows] = await env.pool.query(`SELECT COUNT(*) AS n FROM location WHERE ${where}`, values);
  return Number((rows as { n: number }[])[0]?.n);
}

describe("restart survival", () => {
  for (const mode of DB_MODES) {
    it(`MUST find every answered binding after a graceful restart in ${mode} mode`, async () => {
      // A flush interval longer than the test: in write-back mode only the stop writes.
      const config = await env.config({ LOCATION_DB_MODE: mode, FLUSH_INTERVAL_MS: "600000" });
      const client = locationClient(env.nc, env.prefix);
      const first = await startLocationService(config, {
        logger: silentLogger,
        sweepOnTimer: false,
      });
      const users = [`${mode}-1`, `${mode}-2`];
      try {
        for (const user of users) {
          const reply = await client.save(
            registerOf(user, `sip:${user}@192.0.2.1`, {
              contacts: [
                { uri: `sip:${user}@192.0.2.1`, q: 0.5, instance: "<urn:uuid:x>", regId: 1 },
              ],
              path: ["sip:p1.example.com;lr", "sip:p2.example.com;lr"],
              received: "tcp:[2001:db8::1]:5061",
            }),
          );
          assert.equal(reply.ok, true);
        }
      } finally {
        await first.stop();
      }
      const second = await startLocationService(config, {
        logger: silentLogger,
        sweepOnTimer: false,
      });
      try {
        for (const user of users) {
          const { contacts } = await client.lookup({ username: user, domain: "example.com" });
          assert.equal(contacts.length, 1, `${user} must survive the restart`);
          assert.deepEqual(
            { ...contacts[0], expires: undefined },
            {
              uri: `sip:${user}@192.0.2.1`,
              q: 0.5,
              expires: undefined,
              instance: "<urn:uuid:x>",
              regId: 1,
              path: ["sip:p1.example.com;lr", "sip:p2.example.com;lr"],
              received: "tcp:[2001:db8::1]:5061",
            },
          );
          assert.ok((contacts[0]?.expires ?? 0) > 3500);
        }
        // Refreshing after the restart updates the same row (same ruid), it adds none.
        const user = users[0] ?? "";
        const refresh = await client.save(
          registerOf(user, "", {
            contacts: [{ uri: `sip:${user}@192.0.2.1`, instance: "<urn:uuid:x>", regId: 1 }],
            cseq: 2,
          }),
        );
        assert.equal(refresh.ok, true);
      } finally {
        await second.stop();
      }
      assert.equal(await rowCount("username = ?", [users[0]]), 1);
    });
  }
});

describe("expiry sweeper", () => {
  it("MUST never return an expired binding and MUST remove it from memory and MySQL", async () => {
    const clock = new ManualClock(Date.now());
    const config = await env.config({ LOCATION_DB_MODE: "durable" });
    const service = await startLocationService(config, {
      clock,
      logger: silentLogger,
      sweepOnTimer: false,
    });
    const client = locationClient(env.nc, env.prefix);
    try {
      await client.save(registerOf("short", "sip:short@192.0.2.1", { headerExpires: 60 }));
      await client.save(registerOf("long", "sip:long@192.0.2.1", { headerExpires: 3600 }));
      assert.equal(await rowCount("username = ?", ["short"]), 1);
      const contactsBefore = (await service.store.counts()).contacts;

      clock.advance(61_000);
      assert.deepEqual(await client.lookup({ username: "short", domain: "example.com" }), {
        contacts: [],
      });

      await service.sweeper.sweep();
      assert.equal((await service.store.counts()).contacts, contactsBefore - 1);
      assert.equal(await rowCount("username = ?", ["short"]), 0, "the expired row is deleted");
      assert.equal(await rowCount("username = ?", ["long"]), 1, "the live row stays");
      const metrics = await service.app.inject({ method: "GET", url: "/metrics" });
      assert.match(metrics.body, /switchboard_location_expired_total\{[^}]*\} 1\b/);
    } finally {
      await service.stop();
    }
  });
});

describe("db-only mode with several instances", () => {
  it("MUST apply concurrent REGISTERs through two instances without losing or duplicating bindings", async () => {
    // Saves of one AOR queue on its lock: give a loaded machine time rather than
    // measuring it; this test is about consistency, not latency.
    const config = await env.config({ LOCATION_DB_MODE: "db-only", MYSQL_TIMEOUT_MS: "15000" });
    const options = { logger: silentLogger, sweepOnTimer: false };
    const instances = [
      await startLocationService(config, options),
      await startLocationService({ ...config, HTTP_PORT: 0 }, options),
    ];
    const client = locationClient(env.nc, env.prefix, 20_000);
    try {
      const newAors = Array.from({ length: 40 }, (_, index) => `shared-new-${index}`);
      const replies = await Promise.all([
        ...newAors.map((user) => client.save(registerOf(user, `sip:${user}@192.0.2.1`))),
        // One contact re-registered under ten Call-IDs at once: each replaces the binding.
        ...Array.from({ length: 10 }, (_, index) =>
          client.save(registerOf("shared-one", "sip:one@192.0.2.1", { callId: `c${index}` })),
        ),
      ]);
      assert.ok(
        replies.every((reply) => reply.ok),
        JSON.stringify(replies.filter((r) => !r.ok)),
      );
      assert.equal(await rowCount("username LIKE 'shared-new-%'", []), 40);
      assert.equal(await rowCount("username = ?", ["shared-one"]), 1);
    } finally {
      for (const instance of instances) await instance.stop();
    }
  });
});
