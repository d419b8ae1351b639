import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { databaseUrl } from "@switchboard/kit";
import { configRefusal } from "@switchboard/kit/testing";
import { loadLocationConfig } from "./config.js";

const problemOf = (env: Record<string, string>) => configRefusal(() => loadLocationConfig(env));

describe("loadLocationConfig", () => {
  it("MUST default to durable mode and the documented registrar limits", () => {
    const config = loadLocationConfig({});
    assert.equal(config.LOCATION_DB_MODE, "durable");
    assert.deepEqual(
      [config.MIN_EXPIRES, config.MAX_EXPIRES, config.DEFAULT_EXPIRES, config.MAX_CONTACTS],
      [60, 3600, 3600, 10],
    );
    assert.equal(config.FLUSH_INTERVAL_MS, 2000);
    assert.equal(config.EXPIRY_INTERVAL_S, 10);
    assert.equal(config.HTTP_PORT, 8082);
    assert.equal(config.MYSQL_TIMEOUT_MS, 1500);
    assert.equal(databaseUrl(config), "mysql://root@127.0.0.1:3306/switchboard_location");
  });

  it("MUST take the database from MYSQL_URL's path when it has one, else MYSQL_DATABASE", () => {
    assert.equal(
      databaseUrl(loadLocationConfig({ MYSQL_URL: "mysql://u:p@db:3307/other" })),
      "mysql://u:p@db:3307/other",
    );
    assert.equal(
      databaseUrl(loadLocationConfig({ MYSQL_URL: "mysql://u:p@db:3307", MYSQL_DATABASE: "loc" })),
      "mysql://u:p@db:3307/loc",
    );
  });

  it("MUST refuse an unknown persistence mode and inconsistent expiration limits", () => {
    assert.match(
      problemOf({ LOCATION_DB_MODE: "cache" }),
      /LOCATION_DB_MODE must be one of durable, write-back, write-through, db-only/,
    );
    assert.match(problemOf({ MIN_EXPIRES: "7200" }), /MIN_EXPIRES must not exceed MAX_EXPIRES/);
    assert.match(
      problemOf({ MIN_EXPIRES: "600", DEFAULT_EXPIRES: "300" }),
      /DEFAULT_EXPIRES must not be below MIN_EXPIRES/,
    );
  });

  it("MUST refuse the development admin token, or a short one, in production", () => {
    assert.match(problemOf({ NODE_ENV: "production" }), /ADMIN_TOKEN must be set in production/);
    assert.match(
      problemOf({ NODE_ENV: "production", ADMIN_TOKEN: "short" }),
      /ADMIN_TOKEN must be at least 16 characters/,
    );
    assert.equal(
      loadLocationConfig({ NODE_ENV: "production", ADMIN_TOKEN: "a-long-enough-secret" })
        .ADMIN_TOKEN,
      "a-long-enough-secret",
    );
  });
});
