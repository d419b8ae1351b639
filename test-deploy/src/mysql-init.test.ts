// Runs deploy/mysql-init's script as the MySQL image does at first start, against the real
// local server (root over its socket), with unique database and user names.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { statSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { createMysqlPool, type Pool } from "@switchboard/kit";
import { repoPath } from "./repo.js";

const run = promisify(execFile);
const SCRIPT = "deploy/mysql-init/01-switchboard-databases.sh";
const SERVER = new URL(process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306");

const unique = randomBytes(4).toString("hex");
const names = {
  AUTH_DB_NAME: `sbinit_auth_${unique}`,
  AUTH_DB_USER: `sbinit_ua_${unique}`,
  LOCATION_DB_NAME: `sbinit_loc_${unique}`,
  LOCATION_DB_USER: `sbinit_ul_${unique}`,
};
// Quotes and a backslash: the script must pass them to MySQL as data.
const AUTH_PASSWORD = `it's-a\\pass-${unique}`;
const LOCATION_PASSWORD = `location-${unique}`;

function userUrl(user: string, password: string, database: string): string {
  const url = new URL(SERVER);
  url.username = user;
  url.password = password;
  url.pathname = `/${database}`;
  return url.toString();
}

async function runScript(env: Record<string, string>) {
  return run("bash", [repoPath(SCRIPT)], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
  });
}

async function asRoot(statements: string): Promise<void> {
  await run("mysql", ["--protocol=socket", "--user=root", "-e", statements]);
}

describe("deploy/mysql-init", () => {
  const pools: Pool[] = [];
  let authPool: Pool;

  before(async () => {
    await runScript({
      ...names,
      AUTH_DB_PASSWORD: AUTH_PASSWORD,
      LOCATION_DB_PASSWORD: LOCATION_PASSWORD,
    });
    authPool = createMysqlPool(userUrl(names.AUTH_DB_USER, AUTH_PASSWORD, names.AUTH_DB_NAME));
    pools.push(authPool);
  });

  after(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await asRoot(
      [
        `DROP DATABASE IF EXISTS \`${names.AUTH_DB_NAME}\``,
        `DROP DATABASE IF EXISTS \`${names.LOCATION_DB_NAME}\``,
        `DROP USER IF EXISTS '${names.AUTH_DB_USER}'@'%'`,
        `DROP USER IF EXISTS '${names.LOCATION_DB_USER}'@'%'`,
      ].join(";"),
    );
  });

  it("is executable, so that the MySQL image runs it rather than sourcing it", () => {
    assert.ok((statSync(repoPath(SCRIPT)).mode & 0o111) !== 0);
  });

  it("lets a service's user create, alter and use tables in its own database", async () => {
    await authPool.query("CREATE TABLE probe (id INT PRIMARY KEY)");
    await authPool.query("ALTER TABLE probe ADD COLUMN name VARCHAR(10)");
    await authPool.query("CREATE INDEX probe_name ON probe (name)");
    await authPool.execute("INSERT INTO probe (id, name) VALUES (?, ?)", [1, "a"]);
    await authPool.execute("UPDATE probe SET name = ? WHERE id = ?", ["b", 1]);
    const [rows] = await authPool.query("SELECT name FROM probe");
    assert.deepEqual(rows, [{ name: "b" }]);
    await authPool.query("DROP TABLE probe");
  });

  it("MUST NOT let a service's user into another service's database", async () => {
    const intruder = createMysqlPool(
      userUrl(names.AUTH_DB_USER, AUTH_PASSWORD, names.LOCATION_DB_NAME),
    );
    pools.push(intruder);
    await assert.rejects(intruder.query("SELECT 1"), /access denied/i);
  });

  it("MUST NOT let a service's user create other databases or manage users", async () => {
    await assert.rejects(
      authPool.query(`CREATE DATABASE \`sbinit_other_${unique}\``),
      /access denied/i,
    );
    await assert.rejects(
      authPool.query(`CREATE USER 'sbinit_x_${unique}'@'%' IDENTIFIED BY 'x'`),
      /access denied|denied/i,
    );
  });

  it("gives each service its own password", async () => {
    const location = createMysqlPool(
      userUrl(names.LOCATION_DB_USER, LOCATION_PASSWORD, names.LOCATION_DB_NAME),
    );
    pools.push(location);
    await location.query("SELECT 1");
    const wrong = createMysqlPool(
      userUrl(names.LOCATION_DB_USER, AUTH_PASSWORD, names.LOCATION_DB_NAME),
    );
    pools.push(wrong);
    await assert.rejects(wrong.query("SELECT 1"), /access denied/i);
  });

  it("can run again, keeping the data and taking a new password", async () => {
    await authPool.query("CREATE TABLE kept (id INT)");
    const newPassword = `new-${unique}`;
    await runScript({ ...names, AUTH_DB_PASSWORD: newPassword, LOCATION_DB_PASSWORD: "x" });
    const renewed = createMysqlPool(userUrl(names.AUTH_DB_USER, newPassword, names.AUTH_DB_NAME));
    pools.push(renewed);
    const [rows] = await renewed.query("SHOW TABLES LIKE 'kept'");
    assert.equal((rows as unknown[]).length, 1);
  });

  it("refuses to run without the services' passwords", async () => {
    await assert.rejects(runScript({ ...names, LOCATION_DB_PASSWORD: "x" }), (error: unknown) => {
      const stderr = String((error as { stderr?: string }).stderr);
      return stderr.includes("AUTH_DB_PASSWORD");
    });
  });

  it("refuses database or user names that are not plain identifiers", async () => {
    await assert.rejects(
      runScript({
        ...names,
        AUTH_DB_NAME: "evil`; DROP DATABASE mysql; --",
        AUTH_DB_PASSWORD: "x",
        LOCATION_DB_PASSWORD: "x",
      }),
      /invalid database or user name/,
    );
  });
});
