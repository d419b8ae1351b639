import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createMysqlPool, ensureDatabase, migrate } from "@switchboard/kit";
import { ManualClock } from "@switchboard/kit/testing";
import type { StoredBinding } from "./binding.js";
import { LocationRepository } from "./location-repository.js";
import { type FlushObserver, StorageUnavailableError } from "./persistence.js";
import { GroupCommitPersistence } from "./persistence-group-commit.js";
import { WriteBackPersistence } from "./persistence-write-back.js";
import { MIGRATIONS_DIR } from "./service.js";
import { createTestEnv, eventually, silentLogger, type TestEnv } from "./test-harness.js";

let env: TestEnv;
let repository: LocationRepository;
const clock = new ManualClock(Date.now());

before(async () => {
  env = await createTestEnv("persist");
  await ensureDatabase(env.databaseUrl);
  await migrate(env.pool, MIGRATIONS_DIR, { logger: silentLogger });
  repository = new LocationRepository(env.pool, 5000);
});

after(async () => {
  await env?.cleanup();
});

function binding(ruid: string, contact = `sip:${ruid}@192.0.2.1`): StoredBinding {
  return {
    ruid,
    contact,
    expiresAt: clock.now() + 3600_000,
    q: 1,
    callId: "c",
    cseq: 1,
    received: null,
    path: null,
    userAgent: null,
    socket: null,
    instance: null,
    regId: null,
    lastModified: clock.now(),
  };
}

function countingObserver() {
  const counts = { flushed: 0, failed: 0 };
  const observer: FlushObserver = {
    flushed: () => counts.flushed++,
    flushFailed: () => counts.failed++,
  };
  return { counts, observer };
}

async function storedRuids(prefix: string): Promise<string[]> {
  const [rows] = await env.pool.query("SELECT ruid FROM location WHERE ruid LIKE ? ORDER BY ruid", [
    `${prefix}%`,
  ]);
  return (rows as { ruid: string }[]).map((row) => row.ruid);
}

describe("GroupCommitPersistence", () => {
  it("MUST commit concurrent saves in fewer transactions than saves, and resolve each once committed", async () => {
    const { counts, observer } = countingObserver();
    const persistence = new GroupCommitPersistence(repository, clock, observer);
    const saves = Array.from({ length: 100 }, (_, index) => `gc-${String(index).padStart(3, "0")}`);
    await Promise.all(
      saves.map((ruid) =>
        persistence.persist(
          { username: ruid, domain: "example.com" },
          { upserts: [binding(ruid)], removals: [] },
        ),
      ),
    );
    assert.deepEqual(await storedRuids("gc-"), saves);
    assert.ok(
      counts.flushed < saves.length,
      `${counts.flushed} transactions for ${saves.length} saves`,
    );
    assert.equal(persistence.lagSeconds(), 0);
  });

  it("MUST fail only the save MySQL refuses when a grouped transaction fails", async () => {
    const { observer } = countingObserver();
    const persistence = new GroupCommitPersistence(repository, clock, observer);
    const aor = (name: string) => ({ username: name, domain: "example.com" });
    const results = await Promise.allSettled([
      persistence.persist(aor("ok1"), { upserts: [binding("bad-ok1")], removals: [] }),
      persistence.persist(aor("ok2"), { upserts: [binding("bad-ok2")], removals: [] }),
      // Longer than the contact column: MySQL refuses the row.
      persistence.persist(aor("bad"), {
        upserts: [binding("bad-long", `sip:${"x".repeat(3000)}@192.0.2.1`)],
        removals: [],
      }),
      persistence.persist(aor("ok3"), { upserts: [binding("bad-ok3")], removals: [] }),
    ]);
    assert.deepEqual(
      results.map((result) => result.status),
      ["fulfilled", "fulfilled", "rejected", "fulfilled"],
    );
    const failure = results[2];
    assert.ok(failure?.status === "rejected" && failure.reason instanceof StorageUnavailableError);
    assert.deepEqual(await storedRuids("bad-"), ["bad-ok1", "bad-ok2", "bad-ok3"]);
  });
});

describe("WriteBackPersistence", () => {
  it("MUST answer at once, write nothing until the flush, then write the latest state of each binding", async () => {
    const { counts, observer } = countingObserver();
    const persistence = new WriteBackPersistence(repository, clock, observer, 600_000);
    const aor = { username: "wb", domain: "example.com" };
    await persistence.persist(aor, { upserts: [binding("wb-1"), binding("wb-2")], removals: [] });
    await persistence.persist(aor, {
      upserts: [{ ...binding("wb-1"), cseq: 7 }],
      removals: ["wb-2"],
    });
    assert.deepEqual(await storedRuids("wb-"), []);
    clock.advance(1500);
    assert.equal(persistence.lagSeconds(), 1.5, "the oldest unwritten change is 1.5 s old");

    await persistence.close();
    assert.deepEqual(await storedRuids("wb-"), ["wb-1"]);
    const [rows] = await env.pool.query("SELECT cseq FROM location WHERE ruid = 'wb-1'");
    assert.equal((rows as { cseq: number }[])[0]?.cseq, 7);
    assert.equal(counts.flushed, 1);
    assert.equal(persistence.lagSeconds(), 0);
  });

  it("starts a flush early once enough bindings wait", async () => {
    const { observer } = countingObserver();
    const persistence = new WriteBackPersistence(repository, clock, observer, 600_000, 3);
    const aor = { username: "wbe", domain: "example.com" };
    await persistence.persist(aor, { upserts: [binding("wbe-1"), binding("wbe-2")], removals: [] });
    await persistence.persist(aor, { upserts: [binding("wbe-3")], removals: [] });
    try {
      await eventually("the early flush", async () =>
        (await storedRuids("wbe-")).length === 3 ? true : undefined,
      );
    } finally {
      await persistence.close();
    }
  });

  it("leaves retries to the interval after a failed flush", async () => {
    const { counts, observer } = countingObserver();
    const deadPool = createMysqlPool(env.databaseUrl);
    await deadPool.end();
    const persistence = new WriteBackPersistence(
      new LocationRepository(deadPool, 1000),
      clock,
      observer,
      600_000,
      2,
    );
    const aor = { username: "wbf", domain: "example.com" };
    await persistence.persist(aor, { upserts: [binding("wbf-1"), binding("wbf-2")], removals: [] });
    await eventually("the early flush to fail", async () =>
      counts.failed === 1 ? true : undefined,
    );
    await persistence.persist(aor, { upserts: [binding("wbf-3")], removals: [] });
    // Had that save started a flush, this one would run after it and make it three.
    await persistence.flush().catch(() => {});
    assert.equal(counts.failed, 2);
    await persistence.close().catch(() => {});
  });

  it("MUST NOT write a binding that expired before its flush", async () => {
    const { observer } = countingObserver();
    const persistence = new WriteBackPersistence(repository, clock, observer, 600_000);
    await persistence.persist(
      { username: "wbx", domain: "example.com" },
      { upserts: [{ ...binding("wbx-1"), expiresAt: clock.now() + 1000 }], removals: [] },
    );
    clock.advance(2000);
    await persistence.close();
    assert.deepEqual(await storedRuids("wbx-"), []);
  });
});
