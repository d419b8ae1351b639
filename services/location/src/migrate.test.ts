// The migrate entry point deployments run before the service: applies db/location/ to the
// configured database and says so in one line.

import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { createMysqlPool, dropDatabase } from "@switchboard/kit";
import { runEntryPoint, testDatabaseUrl, uniqueName } from "@switchboard/kit/testing";

const MIGRATE = fileURLToPath(new URL("./migrate.ts", import.meta.url));
const database = uniqueName("loc_migrate");
// The URL names the database: MYSQL_DATABASE is then not consulted.
const env = { MYSQL_URL: testDatabaseUrl(database), LOG_LEVEL: "silent" };

after(() => dropDatabase(testDatabaseUrl(database)));

async function tablesOf(url: string): Promise<string[]> {
  const pool = createMysqlPool(url);
  try {
    const [rows] = await pool.query("SHOW TABLES");
    return (rows as Record<string, string>[]).flatMap((row) => Object.values(row)).sort();
  } finally {
    await pool.end();
  }
}

describe("location migrate", () => {
  it("MUST create the database and apply every migration, saying how many in one line", async () => {
    const run = await runEntryPoint(MIGRATE, env);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(
      run.stdout,
      `location: applied 2 migrations to ${testDatabaseUrl(database)} (0 already applied)\n`,
    );
    assert.deepEqual(await tablesOf(testDatabaseUrl(database)), [
      "aliases",
      "location",
      "schema_migrations",
    ]);
  });

  it("MUST apply nothing on a second run and still exit 0", async () => {
    const run = await runEntryPoint(MIGRATE, env);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^location: applied 0 migrations to .* \(2 already applied\)\n$/);
  });

  it("MUST exit with 78 and one line for a bad MYSQL_URL, as for any wrong variable", async () => {
    const wrongs: Record<string, string>[] = [
      { MYSQL_URL: "http://db:3306" },
      { MIN_EXPIRES: "7200" },
    ];
    for (const wrong of wrongs) {
      const run = await runEntryPoint(MIGRATE, { ...env, ...wrong });
      assert.equal(run.status, 78);
      assert.equal(run.stdout, "");
      assert.match(run.stderr, /^location: Invalid configuration: [^\n]+\n$/);
    }
  });
});
