import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadConfig } from "./config.js";
import {
  adminTokenConfig,
  adminTokenProblems,
  DEV_ADMIN_TOKEN,
  developmentSecretWarnings,
  productionSecretProblems,
} from "./config-secrets.js";

const nonceSecret = (value: string) => ({
  variable: "NONCE_SECRET",
  value,
  devDefault: "dev-nonce-secret",
  minProductionLength: 32,
});

describe("adminTokenConfig", () => {
  it("MUST default ADMIN_TOKEN to the development token, as a secret", () => {
    assert.equal(loadConfig(adminTokenConfig(), {}).ADMIN_TOKEN, DEV_ADMIN_TOKEN);
    assert.equal(DEV_ADMIN_TOKEN, "dev-admin-token");
    assert.equal(adminTokenConfig().ADMIN_TOKEN.secret, true);
  });
});

describe("adminTokenProblems", () => {
  it("MUST refuse the development token in production", () => {
    assert.deepEqual(adminTokenProblems({ NODE_ENV: "production", ADMIN_TOKEN: DEV_ADMIN_TOKEN }), [
      { variable: "ADMIN_TOKEN", problem: "must be set in production" },
    ]);
  });

  it("MUST refuse a token shorter than 16 characters in production, without echoing it", () => {
    const problems = adminTokenProblems({ NODE_ENV: "production", ADMIN_TOKEN: "fifteen-chars.." });
    assert.deepEqual(problems, [
      { variable: "ADMIN_TOKEN", problem: "must be at least 16 characters in production" },
    ]);
  });

  it("accepts a token of 16 characters in production, and any token elsewhere", () => {
    assert.deepEqual(
      adminTokenProblems({ NODE_ENV: "production", ADMIN_TOKEN: "sixteen-chars..." }),
      [],
    );
    for (const NODE_ENV of ["development", "test"]) {
      assert.deepEqual(adminTokenProblems({ NODE_ENV, ADMIN_TOKEN: DEV_ADMIN_TOKEN }), []);
    }
  });
});

describe("productionSecretProblems", () => {
  it("MUST name every secret production refuses, in order", () => {
    const problems = productionSecretProblems("production", [
      nonceSecret("dev-nonce-secret"),
      { ...nonceSecret("short"), variable: "OTHER_SECRET" },
      nonceSecret("x".repeat(32)),
    ]);
    assert.deepEqual(problems, [
      { variable: "NONCE_SECRET", problem: "must be set in production" },
      { variable: "OTHER_SECRET", problem: "must be at least 32 characters in production" },
    ]);
  });
});

describe("developmentSecretWarnings", () => {
  it("MUST warn about each secret left at its development default outside production", () => {
    assert.deepEqual(
      developmentSecretWarnings("development", [
        nonceSecret("dev-nonce-secret"),
        nonceSecret("set"),
      ]),
      ["NONCE_SECRET is not set: using the development default"],
    );
  });

  it("MUST NOT warn in production, where the default is refused instead", () => {
    assert.deepEqual(
      developmentSecretWarnings("production", [nonceSecret("dev-nonce-secret")]),
      [],
    );
  });
});
