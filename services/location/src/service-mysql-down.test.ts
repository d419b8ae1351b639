// MySQL going away under a running instance. Each instance reaches the shared server through
// its own TCP relay, which the test cuts and restores; the server itself is never touched.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { RpcRemoteError } from "@switchboard/kit";
import { type TcpRelay, testMysqlRelay, throughRelay } from "@switchboard/kit/testing";
import { type LocationServiceHandle, startLocationService } from "./service.js";
import {
  createTestEnv,
  eventually,
  type LocationClient,
  locationClient,
  registerOf,
  silentLogger,
  type TestEnv,
} from "./test-harness.js";

const STORAGE_TIMEOUT_MS = 1000;

let env: TestEnv;

before(async () => {
  env = await createTestEnv("mysqldown");
});

after(async () => {
  await env?.cleanup();
});

interface Instance {
  readonly service: LocationServiceHandle;
  readonly relay: TcpRelay;
  readonly client: LocationClient;
}

/** Runs `test` against an instance of `mode` whose MySQL connections go through a relay. */
async function behindRelay(
  mode: string,
  test: (instance: Instance) => Promise<void>,
): Promise<void> {
  const relay = testMysqlRelay();
  await relay.start();
  const config = await env.config({
    LOCATION_DB_MODE: mode,
    MYSQL_URL: throughRelay(env.databaseUrl, relay),
    MYSQL_TIMEOUT_MS: String(STORAGE_TIMEOUT_MS),
    FLUSH_INTERVAL_MS: "50",
  });
  try {
    const service = await startLocationService(config, {
      logger: silentLogger,
      sweepOnTimer: false,
    });
    try {
      await test({ service, relay, client: locationClient(env.nc, env.prefix) });
    } finally {
      await relay.start();
      await service.stop();
    }
  } finally {
    await relay.cut();
  }
}

async function unavailableWithinTimeout(what: Promise<unknown>): Promise<void> {
  const started = performance.now();
  await assert.rejects(what, (error: unknown) => {
    assert.ok(error instanceof RpcRemoteError, `expected an error reply, got ${String(error)}`);
    assert.equal(error.code, "unavailable");
    return true;
  });
  const elapsed = performance.now() - started;
  assert.ok(elapsed < STORAGE_TIMEOUT_MS + 1000, `answered after ${Math.round(elapsed)} ms`);
}

async function rowsOf(username: string): Promise<number> {
  const [rows] = await env.pool.query("SELECT COUNT(*) AS n FROM location WHERE username = ?", [
    username,
  ]);
  return Number((rows as { n: number }[])[0]?.n);
}

describe("MySQL unreachable while running", () => {
  it("durable: MUST answer saves unavailable within the timeout, apply none of them, and recover", () =>
    behindRelay("durable", async ({ relay, client }) => {
      assert.equal((await client.save(registerOf("dur-before", "sip:a@192.0.2.1"))).ok, true);

      await relay.cut();
      await unavailableWithinTimeout(client.save(registerOf("dur-during", "sip:b@192.0.2.1")));
      // Lookups are answered from memory meanwhile; the refused save left no binding.
      assert.equal(
        (await client.lookup({ username: "dur-before", domain: "example.com" })).contacts.length,
        1,
      );
      assert.deepEqual(await client.lookup({ username: "dur-during", domain: "example.com" }), {
        contacts: [],
      });

      await relay.start();
      await eventually("a save after MySQL returns", async () =>
        (await client.save(registerOf("dur-after", "sip:c@192.0.2.1"))).ok ? true : undefined,
      );
      assert.equal(await rowsOf("dur-after"), 1);
    }));

  it("db-only: MUST answer saves and lookups unavailable within the timeout, and recover", () =>
    behindRelay("db-only", async ({ relay, client }) => {
      await relay.cut();
      await unavailableWithinTimeout(client.save(registerOf("db-during", "sip:b@192.0.2.1")));
      await unavailableWithinTimeout(
        client.lookup({ username: "db-during", domain: "example.com" }),
      );
      await relay.start();
      await eventually("a save after MySQL returns", async () =>
        (await client.save(registerOf("db-after", "sip:c@192.0.2.1"))).ok ? true : undefined,
      );
      assert.equal(await rowsOf("db-after"), 1);
    }));

  it("write-back: MUST keep answering from memory, count failed flushes, and lose nothing once MySQL returns", () =>
    behindRelay("write-back", async ({ service, relay, client }) => {
      await relay.cut();
      const users = ["wb-1", "wb-2", "wb-3"];
      for (const user of users) {
        assert.equal((await client.save(registerOf(user, `sip:${user}@192.0.2.1`))).ok, true);
      }
      assert.equal(
        (await client.lookup({ username: "wb-1", domain: "example.com" })).contacts.length,
        1,
      );
      await eventually("a failed flush to be counted", async () => {
        const metrics = await service.app.inject({ method: "GET", url: "/metrics" });
        return /switchboard_location_flush_errors_total\{[^}]*\} [1-9]/.test(metrics.body)
          ? true
          : undefined;
      });

      await relay.start();
      for (const user of users) {
        await eventually(`${user} to reach MySQL`, async () =>
          (await rowsOf(user)) === 1 ? true : undefined,
        );
      }
    }));
});
