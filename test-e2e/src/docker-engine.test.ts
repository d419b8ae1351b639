// The Docker engine probe decides quickly: a missing engine must cost well under a second.

import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { after, before, describe, it } from "node:test";
import { dockerEngineAnswers } from "./docker-engine.js";
import { freeTcpPort } from "./free-port.js";

let server: Server;
let enginePort: number;
let status = 200;

before(async () => {
  server = createServer((request, response) => {
    response.statusCode = request.url === "/_ping" ? status : 404;
    response.end("OK");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  enginePort = typeof address === "object" && address !== null ? address.port : 0;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("dockerEngineAnswers", () => {
  it("MUST say yes when DOCKER_HOST answers /_ping with 200", async () => {
    status = 200;
    assert.equal(await dockerEngineAnswers({ DOCKER_HOST: `tcp://127.0.0.1:${enginePort}` }), true);
  });

  it("MUST say no when /_ping fails", async () => {
    status = 500;
    assert.equal(
      await dockerEngineAnswers({ DOCKER_HOST: `tcp://127.0.0.1:${enginePort}` }),
      false,
    );
  });

  it("MUST say no within a second when nothing listens at DOCKER_HOST", async () => {
    const started = Date.now();
    const closedPort = await freeTcpPort();
    assert.equal(
      await dockerEngineAnswers({ DOCKER_HOST: `tcp://127.0.0.1:${closedPort}` }),
      false,
    );
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
  });

  it("MUST say no within a second when the socket named by DOCKER_HOST does not exist", async () => {
    const started = Date.now();
    const env = { DOCKER_HOST: "unix:///nonexistent/docker.sock" };
    assert.equal(await dockerEngineAnswers(env), false);
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
  });
});
