// MySQL going away under a running service: the service reaches the real MariaDB
// through a TCP relay that the test cuts (connections refused), stalls (connections
// accepted, nothing answered) and restores.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { RpcRemoteError } from "@switchboard/kit";
import { testMysqlRelay, testMysqlServerUrl, throughRelay } from "@switchboard/kit/testing";
import type { DigestClientInput } from "@switchboard/sip";
import { type AuthTestEnv, startAuthTestEnv } from "./service-test-env.js";

const REALM = "outage.example";
const URI = "sip:outage.example";
const MYSQL_TIMEOUT_MS = 300;
/** The caller's request timeout in these tests; every answer must come well within it. */
const RPC_TIMEOUT_MS = 2000;

function user(username: string): DigestClientInput {
  return { username, password: "pw", method: "REGISTER", uri: URI };
}

describe("subscriber store unavailable", () => {
  const relay = testMysqlRelay();
  let env: AuthTestEnv;
  let next = 0;

  before(async () => {
    await relay.start();
    env = await startAuthTestEnv({
      MYSQL_URL: throughRelay(testMysqlServerUrl(), relay),
      MYSQL_TIMEOUT_MS,
    });
  });
  after(async () => {
    await relay.cut();
    await relay.start();
    await env.close();
    await relay.cut();
  });

  /** Verifies a subscriber never looked up before (so the store must be asked). */
  async function verifyUncached(username: string) {
    const authorization = await env.credentials(REALM, user(username));
    return env.verify({ authorization, method: "REGISTER", realm: REALM, requestUri: URI });
  }

  async function assertUnavailableWithinTimeout(username: string): Promise<void> {
    const started = performance.now();
    await assert.rejects(
      verifyUncached(username),
      (error) => error instanceof RpcRemoteError && error.code === "unavailable",
    );
    const elapsed = performance.now() - started;
    assert.ok(elapsed < RPC_TIMEOUT_MS, `answered after ${Math.round(elapsed)} ms`);
  }

  it("MUST answer verify with the unavailable error reply, in time, when MySQL refuses connections", async () => {
    await env.addSubscriber("refused", REALM, "pw");
    await relay.cut();
    try {
      await assertUnavailableWithinTimeout("refused");
      await assertUnavailableWithinTimeout(`nobody-${next++}`);
    } finally {
      await relay.start();
    }
  });

  it("MUST answer in time when MySQL accepts connections but stops answering", async () => {
    await env.addSubscriber("stalled", REALM, "pw");
    relay.stall();
    try {
      await assertUnavailableWithinTimeout("stalled");
      await assertUnavailableWithinTimeout(`nobody-${next++}`);
    } finally {
      await relay.cut();
      await relay.start();
    }
  });

  it("keeps verifying subscribers whose HA1 is cached while MySQL is away", async () => {
    await env.addSubscriber("cached", REALM, "pw");
    assert.equal((await verifyUncached("cached")).ok, true);
    await relay.cut();
    try {
      const authorization = await env.credentials(REALM, user("cached"));
      const result = await env.verify({
        authorization,
        method: "REGISTER",
        realm: REALM,
        requestUri: URI,
      });
      assert.deepEqual(result, { ok: true, username: "cached", domain: REALM });
    } finally {
      await relay.start();
    }
  });

  it("answers the admin API with 503 while MySQL is away", async () => {
    await relay.cut();
    try {
      const response = await env.admin("GET", "/v1/subscribers");
      assert.equal(response.statusCode, 503);
      assert.deepEqual(response.json(), { error: "subscriber store unavailable" });
      const ready = await env.service.app.inject({ url: "/readyz" });
      assert.equal(ready.statusCode, 503);
    } finally {
      await relay.start();
    }
  });

  it("recovers by itself once MySQL is back", async () => {
    await relay.cut();
    await relay.start();
    await env.addSubscriber("recovered", REALM, "pw");
    const deadline = Date.now() + 5000;
    let result: Awaited<ReturnType<typeof verifyUncached>> | undefined;
    while (Date.now() < deadline) {
      try {
        result = await verifyUncached("recovered");
        break;
      } catch (error) {
        if (!(error instanceof RpcRemoteError)) throw error;
      }
    }
    assert.deepEqual(result, { ok: true, username: "recovered", domain: REALM });
  });
});
