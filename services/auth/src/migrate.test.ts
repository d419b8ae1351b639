// The migrate entry point deployments run before the service: applies db/auth/ to the
// configured database and says so in one line.

import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { createMysqlPool, dropDatabase } from "@switchboard/kit";
import {
  runEntryPoint,
  testDatabaseUrl,
  testMysqlServerUrl,
  uniqueName,
} from "@switchboard/kit/testing";

const MIGRATE = fileURLToPath(new URL("./migrate.ts", import.meta.url));
const database = uniqueName("auth_migrate");
const env = { MYSQL_URL: testMysqlServerUrl(), MYSQL_DATABASE: database, LOG_LEVEL: "silent" };

after(() => dropDatabase(testDatabaseUrl(database)));

describe("auth migrate", () => {
  it("MUST create the database and apply every migration, saying how many in one line", async () => {
    const run = await runEntryPoint(MIGRATE, env);
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stdout,
      /^auth: applied 1 migration to mysql:\/\/\S+ \(0 already applied\)\n$/,
    );
    const pool = createMysqlPool(testDatabaseUrl(database));
    try {
      const [rows] = await pool.query("SHOW TABLES LIKE 'subscriber'");
      assert.equal((rows as unknown[]).length, 1, "the subscriber table exists");
    } finally {
      await pool.end();
    }
  });

  it("MUST apply nothing on a second run and still exit 0", async () => {
    const run = await runEntryPoint(MIGRATE, env);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^auth: applied 0 migrations to .* \(1 already applied\)\n$/);
  });

  it("MUST exit with 78 and one line for a bad MYSQL_URL", async () => {
    const run = await runEntryPoint(MIGRATE, { ...env, MYSQL_URL: "mysql://db/not-a-name" });
    assert.equal(run.status, 78);
    assert.equal(run.stdout, "");
    assert.match(
      run.stderr,
      /^auth: Invalid configuration: MYSQL_URL must be a mysql:\/\/ URL .*\n$/,
    );
  });

  it("MUST exit with 1 and one line when MySQL is unreachable", async () => {
    const run = await runEntryPoint(MIGRATE, { ...env, MYSQL_URL: "mysql://root@127.0.0.1:1" });
    assert.equal(run.status, 1);
    assert.match(
      run.stderr,
      /^auth: cannot create the database at mysql:\/\/root@127\.0\.0\.1:1\/\w+: .+\n$/,
    );
  });
});
