import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { RowDataPacket } from "mysql2/promise";
import { createLogger } from "./logger.js";
import {
  ForeignMigrationError,
  MigrationChecksumError,
  MigrationLockError,
  migrate,
} from "./migrate.js";
import { MigrationError } from "./migration-files.js";
import { createMysqlPool, dropDatabase, ensureDatabase, type Pool } from "./mysql.js";

const logger = createLogger({ service: "kit-test", level: "silent" });
const options = { logger };

let url: string;
let dir: string;
const pools: Pool[] = [];

function pool(): Pool {
  const created = createMysqlPool(url, { connectionLimit: 2 });
  pools.push(created);
  return created;
}

async function write(files: Record<string, string>) {
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
}

async function rows(p: Pool, sql: string): Promise<RowDataPacket[]> {
  const [result] = await p.query<RowDataPacket[]>(sql);
  return result;
}

const CREATE =
  "CREATE TABLE calls (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, note VARCHAR(20));\n";
const INSERT = "INSERT INTO calls (note) VALUES ('a;b');\nINSERT INTO calls (note) VALUES ('c');\n";

beforeEach(async () => {
  url = `mysql://root@127.0.0.1:3306/kit_migrate_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  await ensureDatabase(url);
  dir = await mkdtemp(join(tmpdir(), "kit-migrate-"));
});

afterEach(async () => {
  for (const p of pools.splice(0)) await p.end();
  await dropDatabase(url);
  await rm(dir, { recursive: true });
});

describe("migrate", () => {
  it("MUST apply every migration once, in version order, and record it", async () => {
    await write({ "0002_seed.sql": INSERT, "0001_create.sql": CREATE });
    const p = pool();
    const result = await migrate(p, dir, options);
    assert.deepEqual(result, {
      applied: [
        { version: 1, name: "create" },
        { version: 2, name: "seed" },
      ],
      alreadyApplied: 0,
    });
    assert.deepEqual(
      (await rows(p, "SELECT note FROM calls ORDER BY id")).map((row) => row.note),
      ["a;b", "c"],
    );
    const recorded = await rows(
      p,
      "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version",
    );
    assert.deepEqual(
      recorded.map((row) => [row.version, row.name]),
      [
        [1, "create"],
        [2, "seed"],
      ],
    );
    assert.ok(
      recorded.every(
        (row) => /^[0-9a-f]{64}$/.test(row.checksum) && row.applied_at instanceof Date,
      ),
    );
  });

  it("MUST do nothing when run again, and apply only a migration added since", async () => {
    await write({ "0001_create.sql": CREATE, "0002_seed.sql": INSERT });
    const p = pool();
    await migrate(p, dir, options);
    assert.deepEqual(await migrate(p, dir, options), { applied: [], alreadyApplied: 2 });
    await write({ "0003_more.sql": "INSERT INTO calls (note) VALUES ('d');" });
    assert.deepEqual(await migrate(p, dir, options), {
      applied: [{ version: 3, name: "more" }],
      alreadyApplied: 2,
    });
    assert.equal((await rows(p, "SELECT COUNT(*) AS n FROM calls"))[0]?.n, 3);
  });

  it("MUST refuse to run when an applied migration's file changed, applying nothing", async () => {
    await write({ "0001_create.sql": CREATE });
    const p = pool();
    await migrate(p, dir, options);
    await write({ "0001_create.sql": `${CREATE}-- edited\n`, "0002_seed.sql": INSERT });
    await assert.rejects(migrate(p, dir, options), (error) => {
      assert.ok(error instanceof MigrationChecksumError);
      assert.match(error.message, /0001_create\.sql was changed after it was applied/);
      return true;
    });
    assert.equal((await rows(p, "SELECT COUNT(*) AS n FROM schema_migrations"))[0]?.n, 1);
  });

  it("MUST refuse a database that records other migrations under its versions, applying nothing", async () => {
    // Another service's migrations in the same database, e.g. two services given one MYSQL_URL.
    await write({ "0001_create.sql": CREATE });
    const p = pool();
    await migrate(p, dir, options);
    const other = await mkdtemp(join(tmpdir(), "kit-migrate-other-"));
    try {
      await writeFile(join(other, "0001_users.sql"), "CREATE TABLE users (id INT);\n");
      await writeFile(join(other, "0002_more.sql"), "CREATE TABLE more_users (id INT);\n");
      await assert.rejects(migrate(p, other, options), (error) => {
        assert.ok(error instanceof ForeignMigrationError);
        const database = new URL(url).pathname.slice(1);
        assert.equal(
          error.message,
          `database ${database} records migration 1 as "create", not as 0001_users.sql: ` +
            "it holds another service's tables; give each service a database of its own",
        );
        return true;
      });
    } finally {
      await rm(other, { recursive: true });
    }
    assert.deepEqual(
      (await rows(p, "SELECT name FROM schema_migrations")).map((row) => row.name),
      ["create"],
    );
  });

  it("MUST apply each migration exactly once when two instances start at once", async () => {
    await write({ "0001_create.sql": CREATE, "0002_seed.sql": INSERT });
    const [first, second] = await Promise.all([
      migrate(pool(), dir, options),
      migrate(pool(), dir, options),
    ]);
    const versions = [...(first?.applied ?? []), ...(second?.applied ?? [])]
      .map((m) => m.version)
      .sort();
    assert.deepEqual(versions, [1, 2]);
    const p = pool();
    assert.equal((await rows(p, "SELECT COUNT(*) AS n FROM calls"))[0]?.n, 2);
    assert.equal((await rows(p, "SELECT COUNT(*) AS n FROM schema_migrations"))[0]?.n, 2);
  });

  it("MUST NOT record a migration whose statement fails, and name the file and statement", async () => {
    await write({
      "0001_create.sql": CREATE,
      "0002_broken.sql":
        "INSERT INTO calls (note) VALUES ('x');\nINSERT INTO nowhere VALUES (1);\n",
    });
    const p = pool();
    await assert.rejects(migrate(p, dir, options), (error) => {
      assert.ok(error instanceof MigrationError);
      assert.match(error.message, /^migration 0002_broken\.sql failed at statement 2: /);
      assert.ok(error.cause instanceof Error);
      return true;
    });
    const recorded = await rows(p, "SELECT version FROM schema_migrations");
    assert.deepEqual(
      recorded.map((row) => row.version),
      [1],
    );
  });

  it("MUST give up with MigrationLockError when another runner holds the lock past the timeout", async () => {
    await write({ "0001_create.sql": CREATE });
    const holder = await pool().getConnection();
    const lock = `switchboard_migrate_${new URL(url).pathname.slice(1)}`;
    try {
      await holder.query("SELECT GET_LOCK(?, 0)", [lock]);
      await assert.rejects(
        migrate(pool(), dir, { logger, lockTimeoutSeconds: 0 }),
        MigrationLockError,
      );
      assert.equal((await rows(pool(), "SHOW TABLES LIKE 'calls'")).length, 0, "nothing applied");
    } finally {
      await holder.query("SELECT RELEASE_LOCK(?)", [lock]);
      holder.release();
    }
    assert.deepEqual((await migrate(pool(), dir, options)).applied, [
      { version: 1, name: "create" },
    ]);
  });
});
