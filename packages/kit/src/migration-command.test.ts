import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "./config.js";
import { commonConfig } from "./config-common.js";
import { mysqlConfig } from "./config-mysql.js";
import { runMigrationCommand } from "./migration-command.js";
import { dropDatabase } from "./mysql.js";
import { testDatabaseUrl, testMysqlServerUrl, uniqueName } from "./testing.js";

const spec = { ...commonConfig({ httpPort: 9101 }), ...mysqlConfig("switchboard_test") };
const database = uniqueName("kit_migrate_cmd");
let migrationsDir: string;

before(async () => {
  migrationsDir = await mkdtemp(join(tmpdir(), "kit-migrate-cmd-"));
  await writeFile(join(migrationsDir, "0001_calls.sql"), "CREATE TABLE calls (id INT);\n");
  await writeFile(join(migrationsDir, "0002_notes.sql"), "CREATE TABLE notes (id INT);\n");
});

after(async () => {
  await dropDatabase(testDatabaseUrl(database));
  await rm(migrationsDir, { recursive: true });
});

/** Runs the command with `env` as the environment; resolves with its status and output. */
async function run(env: Record<string, string>) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const status = await runMigrationCommand({
    service: "kit-test",
    loadConfig: () => loadConfig(spec, { LOG_LEVEL: "silent", ...env }),
    migrationsDir,
    stdout: { write: (text: string) => stdout.push(text) },
    stderr: { write: (text: string) => stderr.push(text) },
  });
  return { status, stdout: stdout.join(""), stderr: stderr.join("") };
}

describe("runMigrationCommand", () => {
  const env = { MYSQL_URL: testMysqlServerUrl(), MYSQL_DATABASE: database };

  it("MUST create the database, apply every migration and say so in one line", async () => {
    assert.deepEqual(await run(env), {
      status: 0,
      stdout: `kit-test: applied 2 migrations to ${testDatabaseUrl(database)} (0 already applied)\n`,
      stderr: "",
    });
  });

  it("MUST apply nothing when the schema is current, and succeed", async () => {
    const { status, stdout } = await run(env);
    assert.equal(status, 0);
    assert.match(stdout, /^kit-test: applied 0 migrations to .* \(2 already applied\)\n$/);
  });

  it("MUST exit with 78 and one line for a wrong configuration, touching no database", async () => {
    assert.deepEqual(await run({ ...env, MYSQL_URL: "postgres://db" }), {
      status: 78,
      stdout: "",
      stderr:
        'kit-test: Invalid configuration: MYSQL_URL must be a mysql:// URL (mysql://user:password@host:3306, optionally followed by /database) (got "postgres://db")\n',
    });
  });

  it("MUST exit with 1 and one line naming the database when MySQL is unreachable", async () => {
    const { status, stdout, stderr } = await run({
      ...env,
      MYSQL_URL: "mysql://root:hunter2@127.0.0.1:1",
    });
    assert.equal(status, 1);
    assert.equal(stdout, "");
    assert.match(
      stderr,
      /^kit-test: cannot create the database at mysql:\/\/root:\*\*\*@127\.0\.0\.1:1\/\w+: .+\n$/,
    );
  });
});
