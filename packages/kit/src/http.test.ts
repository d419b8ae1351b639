import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { requireBearerToken } from "./bearer-auth.js";
import { buildServiceApp, type ReadinessCheck } from "./http.js";
import { createLogger } from "./logger.js";
import { createCounter, createMetricsRegistry } from "./metrics.js";

const logger = createLogger({ service: "test", level: "silent" });

function appWith(readinessChecks: ReadinessCheck[]) {
  const registry = createMetricsRegistry({ service: "kit-test" });
  const app = buildServiceApp({ registry, readinessChecks, logger, readinessTimeoutMs: 50 });
  after(() => app.close());
  return { app, registry };
}

const passing: ReadinessCheck = { name: "mysql", check: async () => {} };

describe("buildServiceApp", () => {
  it("MUST answer /healthz with 200 while the process runs, whatever the dependencies", async () => {
    const { app } = appWith([{ name: "nats", check: () => Promise.reject(new Error("down")) }]);
    const response = await app.inject({ method: "GET", url: "/healthz" });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: "ok" });
  });

  it("MUST answer /readyz with 200 when every check passes", async () => {
    const { app } = appWith([passing, { name: "nats", check: async () => {} }]);
    const response = await app.inject({ method: "GET", url: "/readyz" });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: "ready", checks: { mysql: "ok", nats: "ok" } });
  });

  it("MUST answer /readyz with 503 naming the check that failed", async () => {
    const { app } = appWith([
      passing,
      { name: "nats", check: () => Promise.reject(new Error("connection closed")) },
    ]);
    const response = await app.inject({ method: "GET", url: "/readyz" });
    assert.equal(response.statusCode, 503);
    assert.deepEqual(response.json(), {
      status: "not-ready",
      checks: { mysql: "ok", nats: "failed: connection closed" },
    });
  });

  it("MUST fail a readiness check that does not answer within the timeout", async () => {
    const { app } = appWith([{ name: "mysql", check: () => new Promise<void>(() => {}) }]);
    const response = await app.inject({ method: "GET", url: "/readyz" });
    assert.equal(response.statusCode, 503);
    assert.equal(
      response.json().checks.mysql,
      "failed: readiness check mysql did not finish within 50 ms",
    );
  });

  it("MUST serve the service's metrics and the process metrics in the Prometheus text format", async () => {
    const { app, registry } = appWith([]);
    const registrations = createCounter(registry, {
      name: "switchboard_test_registrations_total",
      help: "REGISTER requests handled.",
      labelNames: ["outcome"],
    });
    registrations.inc({ outcome: "ok" }, 3);
    const response = await app.inject({ method: "GET", url: "/metrics" });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers["content-type"]), /^text\/plain; version=0\.0\.4/);
    assert.match(
      response.body,
      /^switchboard_test_registrations_total\{outcome="ok",service="kit-test"\} 3$/m,
    );
    assert.match(response.body, /^process_cpu_user_seconds_total\{service="kit-test"\} /m);
  });

  it("MUST let the service add its own routes to the same instance", async () => {
    const { app } = appWith([]);
    app.get("/admin/ping", async () => ({ pong: true }));
    const response = await app.inject({ method: "GET", url: "/admin/ping" });
    assert.deepEqual(response.json(), { pong: true });
  });
});

describe("requireBearerToken", () => {
  const token = "s3cret-token-0123456789";

  function adminApp() {
    const { app } = appWith([]);
    app.register(
      async (admin) => {
        admin.addHook("onRequest", requireBearerToken(token));
        admin.get("/users", async () => ({ users: [] }));
      },
      { prefix: "/admin" },
    );
    return app;
  }

  it("MUST answer 401 with a Bearer challenge when no credentials are sent (RFC 6750 §3)", async () => {
    const response = await adminApp().inject({ method: "GET", url: "/admin/users" });
    assert.equal(response.statusCode, 401);
    assert.equal(response.headers["www-authenticate"], 'Bearer realm="switchboard"');
  });

  it("MUST answer 401 with error=invalid_token for a wrong token, including a prefix of the right one", async () => {
    const app = adminApp();
    for (const wrong of ["nope", token.slice(0, -1), `${token}x`]) {
      const response = await app.inject({
        method: "GET",
        url: "/admin/users",
        headers: { authorization: `Bearer ${wrong}` },
      });
      assert.equal(response.statusCode, 401, wrong);
      assert.equal(
        response.headers["www-authenticate"],
        'Bearer realm="switchboard", error="invalid_token"',
      );
    }
  });

  it("MUST refuse the right token under another scheme", async () => {
    const response = await adminApp().inject({
      method: "GET",
      url: "/admin/users",
      headers: { authorization: `Basic ${token}` },
    });
    assert.equal(response.statusCode, 401);
  });

  it("MUST let the request through with the right token, and leave other routes open", async () => {
    const app = adminApp();
    const admin = await app.inject({
      method: "GET",
      url: "/admin/users",
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(admin.statusCode, 200);
    assert.deepEqual(admin.json(), { users: [] });
    assert.equal((await app.inject({ method: "GET", url: "/healthz" })).statusCode, 200);
  });

  it("MUST refuse to protect routes with an empty token", () => {
    assert.throws(() => requireBearerToken(""), /must not be empty/);
  });
});
