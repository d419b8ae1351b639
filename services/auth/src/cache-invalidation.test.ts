// The HA1 cache in a running service: filled by verifications, emptied by changes made
// through the admin API of this or another instance, counted in the metrics.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createLogger } from "@switchboard/kit";
import type { DigestClientInput } from "@switchboard/sip";
import { type AuthService, startAuthService } from "./service.js";
import { type AuthTestEnv, startAuthTestEnv } from "./service-test-env.js";

const REALM = "cache.example";
const URI = "sip:cache.example";

function user(username: string, password: string): DigestClientInput {
  return { username, password, method: "REGISTER", uri: URI };
}

/** The value of one series in the Prometheus text of `service`, 0 when absent. */
async function metric(service: AuthService, series: string): Promise<number> {
  const text = (await service.app.inject({ method: "GET", url: "/metrics" })).body;
  const line = text.split("\n").find((candidate) => candidate.startsWith(series));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(" ") + 1));
}

describe("HA1 cache in the running service", () => {
  let env: AuthTestEnv;

  before(async () => {
    env = await startAuthTestEnv();
  });
  after(() => env.close());

  async function verifyAs(client: DigestClientInput) {
    const authorization = await env.credentials(REALM, client);
    return env.verify({ authorization, method: "REGISTER", realm: REALM, requestUri: URI });
  }

  it("MUST refuse the old password as soon as the admin API has changed it", async () => {
    await env.addSubscriber("bob", REALM, "old-password");
    assert.equal((await verifyAs(user("bob", "old-password"))).ok, true);
    const changed = await env.admin("PUT", `/v1/subscribers/${REALM}/bob/password`, {
      password: "new-password",
    });
    assert.equal(changed.statusCode, 204);
    assert.deepEqual(await verifyAs(user("bob", "old-password")), {
      ok: false,
      reason: "bad-password",
    });
    assert.equal((await verifyAs(user("bob", "new-password"))).ok, true);
  });

  it("forgets an unknown user once it is created, and a deleted user at once", async () => {
    assert.deepEqual(await verifyAs(user("carol", "pw")), { ok: false, reason: "unknown-user" });
    await env.addSubscriber("carol", REALM, "pw");
    assert.equal((await verifyAs(user("carol", "pw"))).ok, true);
    assert.equal((await env.admin("DELETE", `/v1/subscribers/${REALM}/carol`)).statusCode, 204);
    assert.deepEqual(await verifyAs(user("carol", "pw")), { ok: false, reason: "unknown-user" });
  });

  it("counts a miss for the first lookup of a subscriber and hits afterwards", async () => {
    await env.addSubscriber("dave", REALM, "pw");
    const hit = 'switchboard_auth_ha1_cache_lookups_total{result="hit"';
    const miss = 'switchboard_auth_ha1_cache_lookups_total{result="miss"';
    const [hits, misses] = [await metric(env.service, hit), await metric(env.service, miss)];
    await verifyAs(user("dave", "pw"));
    await verifyAs(user("dave", "pw"));
    await verifyAs(user("dave", "pw"));
    assert.equal((await metric(env.service, miss)) - misses, 1);
    assert.equal((await metric(env.service, hit)) - hits, 2);
  });

  it("counts verifications by result and subscribers in the table", async () => {
    const okSeries = 'switchboard_auth_verifications_total{result="ok"';
    const before = await metric(env.service, okSeries);
    await env.addSubscriber("erin", REALM, "pw");
    await verifyAs(user("erin", "pw"));
    assert.equal((await metric(env.service, okSeries)) - before, 1);
    const [rows] = await env.service.pool.query("SELECT COUNT(*) AS n FROM subscriber");
    const count = Number((rows as { n: number }[])[0]?.n);
    assert.equal(await metric(env.service, "switchboard_auth_subscribers{"), count);
  });

  describe("with a second instance on the same database and subjects", () => {
    let second: AuthService;

    before(async () => {
      const logger = createLogger({ service: "auth-second", level: "silent" });
      second = await startAuthService(env.config, { logger });
    });
    after(() => second.stop());

    it("MUST stop accepting the old password on every instance once the change is answered", async () => {
      await env.addSubscriber("frank", REALM, "old-password");
      const okSeries = 'switchboard_auth_verifications_total{result="ok"';
      const secondOkBefore = await metric(second, okSeries);
      // NATS spreads the queue group's requests over both instances: fill both caches.
      for (let i = 0; i < 24; i++)
        assert.equal((await verifyAs(user("frank", "old-password"))).ok, true);
      assert.ok(
        (await metric(second, okSeries)) > secondOkBefore,
        "the second instance answered none",
      );

      const changed = await env.admin("PUT", `/v1/subscribers/${REALM}/frank/password`, {
        password: "new-password",
      });
      assert.equal(changed.statusCode, 204);
      for (let i = 0; i < 24; i++) {
        assert.deepEqual(await verifyAs(user("frank", "old-password")), {
          ok: false,
          reason: "bad-password",
        });
      }
      assert.equal((await verifyAs(user("frank", "new-password"))).ok, true);
    });
  });
});
