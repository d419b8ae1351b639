import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { buildServiceAdminApp } from "./admin-app.js";
import { createLogger } from "./logger.js";
import { createMetricsRegistry } from "./metrics.js";

const TOKEN = "admin-token-0123456789";

class ConflictError extends Error {
  override name = "ConflictError";
}

function app() {
  const built = buildServiceAdminApp({
    registry: createMetricsRegistry({ service: "kit-test" }),
    logger: createLogger({ service: "kit-test", level: "silent" }),
    adminToken: TOKEN,
    routes: (scope) => {
      scope.post(
        "/things",
        { schema: { body: { type: "object", required: ["name"] } } },
        async () => {
          throw new ConflictError("thing exists");
        },
      );
      scope.get("/broken", async () => {
        throw new Error("a bug with a secret detail");
      });
      scope.get("/things", async () => ({ things: [] }));
    },
    errorReply: (error) =>
      error instanceof ConflictError ? { status: 409, error: "thing exists" } : undefined,
  });
  after(() => built.close());
  return built;
}

const auth = { authorization: `Bearer ${TOKEN}` };

describe("buildServiceAdminApp", () => {
  it("MUST serve the admin routes under /v1 with the token, beside the probes", async () => {
    const server = app();
    const listed = await server.inject({ method: "GET", url: "/v1/things", headers: auth });
    assert.deepEqual([listed.statusCode, listed.json()], [200, { things: [] }]);
    assert.equal((await server.inject({ method: "GET", url: "/healthz" })).statusCode, 200);
  });

  it("MUST answer 401 without the bearer token", async () => {
    const response = await app().inject({ method: "GET", url: "/v1/things" });
    assert.equal(response.statusCode, 401);
  });

  it("MUST answer the service's own errors as it says", async () => {
    const response = await app().inject({
      method: "POST",
      url: "/v1/things",
      headers: auth,
      payload: { name: "a" },
    });
    assert.deepEqual([response.statusCode, response.json()], [409, { error: "thing exists" }]);
  });

  it("MUST answer a client error with its status and message", async () => {
    const response = await app().inject({
      method: "POST",
      url: "/v1/things",
      headers: auth,
      payload: {},
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.json().error, /must have required property 'name'/);
  });

  it("MUST answer any other error with 500 and no detail", async () => {
    const response = await app().inject({ method: "GET", url: "/v1/broken", headers: auth });
    assert.deepEqual([response.statusCode, response.json()], [500, { error: "internal error" }]);
  });
});
