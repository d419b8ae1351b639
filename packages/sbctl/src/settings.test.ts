import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UsageError } from "./errors.js";
import { resolveSettings } from "./settings.js";

describe("resolveSettings", () => {
  it("falls back to the services' development defaults", () => {
    assert.deepEqual(resolveSettings({}, {}), {
      authUrl: "http://127.0.0.1:8081",
      locationUrl: "http://127.0.0.1:8082",
      token: "dev-admin-token",
      defaultDomain: "localhost",
      timeoutMs: 5000,
      json: false,
    });
  });

  it("prefers flags to the environment, and the environment to defaults", () => {
    const env = {
      AUTH_ADMIN_URL: "http://auth.internal:9000/",
      LOCATION_ADMIN_URL: "https://location.internal/admin",
      ADMIN_TOKEN: "from-env-0123456789",
      SIP_DOMAIN: "Example.COM",
    };
    const fromEnv = resolveSettings({}, env);
    assert.equal(fromEnv.authUrl, "http://auth.internal:9000");
    assert.equal(fromEnv.locationUrl, "https://location.internal/admin");
    assert.equal(fromEnv.token, "from-env-0123456789");
    assert.equal(fromEnv.defaultDomain, "example.com");
    const fromFlags = resolveSettings(
      {
        "auth-url": "http://127.0.0.1:7000",
        token: "flag-token",
        domain: "a.example",
        timeout: "250",
        json: true,
      },
      env,
    );
    assert.equal(fromFlags.authUrl, "http://127.0.0.1:7000");
    assert.equal(fromFlags.token, "flag-token");
    assert.equal(fromFlags.defaultDomain, "a.example");
    assert.equal(fromFlags.timeoutMs, 250);
    assert.equal(fromFlags.json, true);
  });

  it("treats an empty variable as unset", () => {
    assert.equal(resolveSettings({}, { ADMIN_TOKEN: "", SIP_DOMAIN: "" }).token, "dev-admin-token");
  });

  it("refuses URLs with credentials, a query, or another scheme, without echoing credentials", () => {
    assert.throws(
      () => resolveSettings({ "auth-url": "http://admin:hunter2@127.0.0.1:8081" }, {}),
      (error: unknown) =>
        error instanceof UsageError &&
        /credentials/.test(error.message) &&
        !error.message.includes("hunter2"),
    );
    assert.throws(() => resolveSettings({ "location-url": "http://x/?a=1" }, {}), UsageError);
    assert.throws(() => resolveSettings({}, { AUTH_ADMIN_URL: "nats://x" }), UsageError);
  });

  it("refuses a timeout that is not a positive whole number of milliseconds", () => {
    for (const timeout of ["0", "-5", "1.5", "1e3", "600001", ""]) {
      assert.throws(() => resolveSettings({ timeout }, {}), UsageError, timeout);
    }
  });
});
