import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEV_ADMIN_TOKEN, databaseUrl } from "@switchboard/kit";
import { configRefusal } from "@switchboard/kit/testing";
import { loadAuthConfig } from "./config.js";

const PRODUCTION = {
  NODE_ENV: "production",
  ADMIN_TOKEN: "a-production-admin-token",
  NONCE_SECRET: "a-production-nonce-secret-of-32-characters",
};

const refusal = (env: Record<string, string>) => configRefusal(() => loadAuthConfig(env));

describe("loadAuthConfig", () => {
  it("gives the documented defaults on a developer machine, warning about the secrets", () => {
    const { config, warnings } = loadAuthConfig({});
    assert.equal(config.HTTP_PORT, 8081);
    assert.equal(config.MYSQL_DATABASE, "switchboard_auth");
    assert.equal(config.NONCE_LIFETIME_S, 300);
    assert.deepEqual(config.AUTH_ALGORITHMS, ["MD5"]);
    assert.equal(config.AUTH_CALCULATE_HA1, false);
    assert.equal(config.ADMIN_TOKEN, DEV_ADMIN_TOKEN);
    assert.equal(warnings.length, 2);
  });

  it("parses the algorithm list in order and the calculate_ha1 switch", () => {
    const { config } = loadAuthConfig({ AUTH_ALGORITHMS: "MD5, SHA-256", AUTH_CALCULATE_HA1: "1" });
    assert.deepEqual(config.AUTH_ALGORITHMS, ["MD5", "SHA-256"]);
    assert.equal(config.AUTH_CALCULATE_HA1, true);
  });

  it("refuses unknown or repeated algorithms", () => {
    assert.match(
      refusal({ AUTH_ALGORITHMS: "MD5,SHA-1" }),
      /AUTH_ALGORITHMS must be a comma-separated list/,
    );
    assert.match(refusal({ AUTH_ALGORITHMS: "MD5,MD5" }), /AUTH_ALGORITHMS/);
  });

  it("MUST refuse to start in production with the development secrets", () => {
    const message = refusal({ NODE_ENV: "production" });
    assert.match(message, /ADMIN_TOKEN must be set in production/);
    assert.match(message, /NONCE_SECRET must be set in production/);
  });

  it("MUST refuse short secrets in production, without echoing them", () => {
    const message = refusal({ ...PRODUCTION, NONCE_SECRET: "short-secret" });
    assert.match(message, /NONCE_SECRET must be at least 32 characters in production/);
    assert.doesNotMatch(message, /short-secret/);
  });

  it("accepts production secrets, with no warnings", () => {
    const { config, warnings } = loadAuthConfig(PRODUCTION);
    assert.equal(config.NONCE_SECRET, PRODUCTION.NONCE_SECRET);
    assert.deepEqual(warnings, []);
  });
});

describe("the auth database", () => {
  it("appends MYSQL_DATABASE to a URL without a database", () => {
    const { config } = loadAuthConfig({ MYSQL_URL: "mysql://root@127.0.0.1:3306" });
    assert.equal(databaseUrl(config), "mysql://root@127.0.0.1:3306/switchboard_auth");
  });

  it("keeps the database a URL names", () => {
    const { config } = loadAuthConfig({ MYSQL_URL: "mysql://u:p@db:3306/other" });
    assert.equal(databaseUrl(config), "mysql://u:p@db:3306/other");
  });
});
