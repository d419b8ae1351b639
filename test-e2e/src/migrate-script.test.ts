// `npm run migrate` (scripts/migrate.mjs): auth's and location's migrations, each applied to
// a database of its own on one MySQL server.

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { runNode } from "@switchboard/kit/testing";
import { createConnection, type RowDataPacket } from "mysql2/promise";
import { backingServices } from "./backing-services.js";
import { withDeadline } from "./deadline.js";
import { REPOSITORY_ROOT } from "./repository-root.js";
import { StackDatabases } from "./stack-databases.js";

const SCRIPT = join(REPOSITORY_ROOT, "scripts", "migrate.mjs");
const RUN_TIMEOUT_MS = 60_000;

const dropAfterwards: StackDatabases[] = [];
after(async () => {
  for (const databases of dropAfterwards) await databases.drop();
});

function runMigrate(env: Record<string, string>) {
  return withDeadline(
    runNode(SCRIPT, { cwd: REPOSITORY_ROOT, env }),
    RUN_TIMEOUT_MS,
    "exit of npm run migrate",
  );
}

async function tablesOf(mysqlUrl: string, database: string): Promise<string[]> {
  const connection = await createConnection(mysqlUrl);
  try {
    const [rows] = await connection.query<RowDataPacket[]>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name",
      [database],
    );
    return rows.map((row) => String(row.name));
  } finally {
    await connection.end();
  }
}

describe("npm run migrate", () => {
  it("MUST apply auth's and location's migrations, each to the database named for it", async () => {
    const { mysqlUrl } = await backingServices();
    const unique = randomBytes(4).toString("hex");
    const databases = { auth: `e2e_migr_${unique}_auth`, location: `e2e_migr_${unique}_location` };
    dropAfterwards.push(new StackDatabases(mysqlUrl, [databases.auth, databases.location]));
    const env = {
      MYSQL_URL: mysqlUrl,
      AUTH_MYSQL_DATABASE: databases.auth,
      LOCATION_MYSQL_DATABASE: databases.location,
      LOG_LEVEL: "warn",
    };
    const run = await runMigrate(env);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`auth: applied 1 migration to .*/${databases.auth} `));
    assert.match(
      run.stdout,
      new RegExp(`location: applied 2 migrations to .*/${databases.location} `),
    );
    assert.deepEqual(await tablesOf(mysqlUrl, databases.auth), ["schema_migrations", "subscriber"]);
    assert.deepEqual(await tablesOf(mysqlUrl, databases.location), [
      "aliases",
      "location",
      "schema_migrations",
    ]);

    const again = await runMigrate(env);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /auth: applied 0 migrations .*\(1 already applied\)/);
    assert.match(again.stdout, /location: applied 0 migrations .*\(2 already applied\)/);
  });

  it("MUST refuse one database for both services, applying nothing", async () => {
    const { mysqlUrl } = await backingServices();
    const database = `e2e_migr_${randomBytes(4).toString("hex")}_shared`;
    const run = await runMigrate({ MYSQL_URL: `${mysqlUrl}/${database}` });
    assert.equal(run.status, 1);
    assert.equal(
      run.stderr,
      `migrate: auth and location each need a database of their own, so MYSQL_URL must name none and MYSQL_DATABASE must be unset (got "${database}"); name them with AUTH_MYSQL_DATABASE and LOCATION_MYSQL_DATABASE\n`,
    );
    assert.deepEqual(await tablesOf(mysqlUrl, database), []);
  });
});
