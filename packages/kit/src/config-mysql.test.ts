import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadConfig } from "./config.js";
import { databaseUrl, mysqlConfig } from "./config-mysql.js";
import { configRefusal } from "./testing.js";

const spec = mysqlConfig("switchboard_test");

const problemOf = (env: Record<string, string>) => configRefusal(() => loadConfig(spec, env));

describe("mysqlConfig", () => {
  it("MUST default to the local server, the service's database and a 1000 ms timeout", () => {
    assert.deepEqual(
      { ...loadConfig(spec, {}) },
      {
        MYSQL_URL: "mysql://root@127.0.0.1:3306",
        MYSQL_DATABASE: "switchboard_test",
        MYSQL_TIMEOUT_MS: 1000,
      },
    );
    assert.equal(
      loadConfig(mysqlConfig("other", { timeoutMs: 1500 }), {}).MYSQL_TIMEOUT_MS,
      1500,
      "a service may choose its own default timeout",
    );
  });

  it("MUST accept a server URL with or without a database", () => {
    for (const url of ["mysql://u:p@db:3307", "mysql://u:p@db:3307/", "mysql://u@db/loc_1"]) {
      assert.equal(loadConfig(spec, { MYSQL_URL: url }).MYSQL_URL, url);
    }
  });

  it("MUST refuse a URL that is not mysql:// or names a database needing quotes", () => {
    for (const url of ["http://db:3306", "mysql:///no_host", "mysql://db/a-b", "mysql://db/x/y"]) {
      assert.match(problemOf({ MYSQL_URL: url }), /^Invalid configuration: MYSQL_URL must be a/);
    }
  });

  it("MUST refuse a database name other than letters, digits and _ (at most 64)", () => {
    assert.match(
      problemOf({ MYSQL_DATABASE: "drop;table" }),
      /MYSQL_DATABASE must be letters, digits and _ \(at most 64\)/,
    );
    assert.match(problemOf({ MYSQL_DATABASE: "a".repeat(65) }), /MYSQL_DATABASE must be/);
  });

  it("MUST refuse a timeout outside 50 to 60000 ms", () => {
    assert.match(problemOf({ MYSQL_TIMEOUT_MS: "10" }), /MYSQL_TIMEOUT_MS must be an integer/);
  });
});

describe("databaseUrl", () => {
  it("MUST append MYSQL_DATABASE to a URL that names no database", () => {
    for (const url of ["mysql://root@127.0.0.1:3306", "mysql://root@127.0.0.1:3306/"]) {
      assert.equal(
        databaseUrl({ MYSQL_URL: url, MYSQL_DATABASE: "switchboard_auth" }),
        "mysql://root@127.0.0.1:3306/switchboard_auth",
      );
    }
  });

  it("MUST keep the database the URL names, and its credentials", () => {
    assert.equal(
      databaseUrl({ MYSQL_URL: "mysql://u:p@db:3307/other", MYSQL_DATABASE: "switchboard_auth" }),
      "mysql://u:p@db:3307/other",
    );
  });
});
