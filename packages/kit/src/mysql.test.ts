import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { RowDataPacket } from "mysql2/promise";
import { isUnavailableError } from "./errors.js";
import {
  createMysqlPool,
  dropDatabase,
  ensureDatabase,
  mysqlReadinessCheck,
  type Pool,
} from "./mysql.js";
import { databaseOf, InvalidMysqlUrlError, redactUrlPasswords, serverUrlOf } from "./mysql-url.js";

const url = `mysql://root@127.0.0.1:3306/kit_mysql_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
let pool: Pool;

before(async () => {
  await ensureDatabase(url);
  pool = createMysqlPool(url);
});

after(async () => {
  await pool.end();
  await dropDatabase(url);
});

describe("mysql", () => {
  it("MUST create the database once and accept being asked again", async () => {
    await ensureDatabase(url);
    const [rows] = await pool.query<RowDataPacket[]>(
      "SELECT DATABASE() AS name, @@character_set_database AS charset",
    );
    assert.deepEqual({ ...rows[0] }, { name: databaseOf(url), charset: "utf8mb4" });
  });

  it("MUST run prepared statements with values through the pool", async () => {
    await pool.query(
      "CREATE TABLE subscriber (username VARCHAR(64) NOT NULL PRIMARY KEY, domain VARCHAR(64) NOT NULL)",
    );
    await pool.execute("INSERT INTO subscriber (username, domain) VALUES (?, ?)", [
      "1000",
      "example.com",
    ]);
    const [rows] = await pool.execute<RowDataPacket[]>(
      "SELECT domain FROM subscriber WHERE username = ?",
      ["1000"],
    );
    assert.deepEqual(
      rows.map((row) => row.domain),
      ["example.com"],
    );
  });

  it("MUST pass the readiness check while the server answers", async () => {
    const check = mysqlReadinessCheck(pool);
    assert.equal(check.name, "mysql");
    await check.check();
  });

  it("MUST fail the readiness check with an unavailable-type error when the server is unreachable", async () => {
    const unreachable = createMysqlPool("mysql://root@127.0.0.1:1/nothing", {
      connectTimeoutMs: 1000,
    });
    try {
      await assert.rejects(mysqlReadinessCheck(unreachable).check(), (error) => {
        assert.equal(isUnavailableError(error), true, String(error));
        return true;
      });
    } finally {
      await unreachable.end();
    }
  });

  it("MUST drop the database it is asked to drop", async () => {
    const other = `mysql://root@127.0.0.1:3306/kit_drop_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
    await ensureDatabase(other);
    await dropDatabase(other);
    const [rows] = await pool.query<RowDataPacket[]>("SHOW DATABASES LIKE ?", [databaseOf(other)]);
    assert.equal(rows.length, 0);
  });
});

describe("mysql URLs", () => {
  it("MUST refuse URLs whose database name would need quoting, before any connection", async () => {
    for (const bad of [
      "mysql://root@h/db`; DROP DATABASE x",
      "mysql://root@h/",
      "postgres://h/db",
      "nope",
    ]) {
      assert.throws(() => databaseOf(bad), InvalidMysqlUrlError, bad);
      await assert.rejects(ensureDatabase(bad), InvalidMysqlUrlError, bad);
    }
  });

  it("MUST give the server URL without the database and hide passwords", () => {
    assert.equal(serverUrlOf("mysql://app:pw@db:3306/auth"), "mysql://app:pw@db:3306/");
    assert.equal(
      redactUrlPasswords("MYSQL_URL=mysql://app:s3cret@db:3306/auth NATS_URL=nats://n:4222"),
      "MYSQL_URL=mysql://app:***@db:3306/auth NATS_URL=nats://n:4222",
    );
  });
});
