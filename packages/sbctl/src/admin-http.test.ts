import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AuthAdminClient, LocationAdminClient } from "./admin-client.js";
import { AdminApiError, type AdminEndpoint, type AdminService } from "./admin-http.js";
import {
  type AdminStub,
  closedPort,
  type StubReply,
  startAdminStub,
} from "./test-support/admin-stub.js";

function endpointAt(
  baseUrl: string,
  service: AdminService = "auth",
  timeoutMs = 2000,
): AdminEndpoint {
  return { service, baseUrl, token: "test-token-0123456789", timeoutMs, fetch };
}

async function failure(operation: Promise<unknown>): Promise<AdminApiError> {
  try {
    await operation;
  } catch (error) {
    assert.ok(error instanceof AdminApiError, `expected AdminApiError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected the call to fail");
}

describe("admin HTTP errors", () => {
  let reply: StubReply | undefined;
  let stub: AdminStub;
  before(async () => {
    stub = await startAdminStub(() => reply);
  });
  after(() => stub.close());

  const auth = () => new AuthAdminClient(endpointAt(stub.url));
  const user = { username: "1000", domain: "localhost" };

  it("sends the token as a bearer credential", async () => {
    reply = { status: 204 };
    await auth().deleteSubscriber(user);
    assert.equal(stub.requests.at(-1)?.headers.authorization, "Bearer test-token-0123456789");
  });

  it("names the service and says the token was rejected on 401", async () => {
    reply = { status: 401, body: { error: "unauthorized" } };
    const error = await failure(auth().getSubscriber(user));
    assert.equal(error.kind, "unauthorized");
    assert.equal(
      error.message,
      `auth admin API at ${stub.url} rejected the admin token (set --token or ADMIN_TOKEN)`,
    );
  });

  it("passes the API's message on 400, flattened to one line", async () => {
    reply = { status: 400, body: { error: "body/email must match\npattern" } };
    const error = await failure(auth().createSubscriber({ ...user, password: "x", email: "a b" }));
    assert.equal(error.kind, "bad-request");
    assert.equal(
      error.message,
      `auth admin API at ${stub.url} refused the request: body/email must match pattern`,
    );
  });

  it("reports 404 and 409 as their own kinds with the API's message", async () => {
    reply = { status: 404, body: { error: "no such subscriber" } };
    const missing = await failure(auth().getSubscriber(user));
    assert.equal(missing.kind, "not-found");
    assert.equal(missing.apiMessage, "no such subscriber");
    reply = { status: 409, body: { error: "subscriber exists" } };
    const conflict = await failure(auth().createSubscriber({ ...user, password: "x" }));
    assert.equal(conflict.kind, "conflict");
    assert.equal(conflict.status, 409);
  });

  it("reports any other status with its number", async () => {
    reply = { status: 503, body: { error: "subscriber store unavailable" } };
    const error = await failure(auth().listSubscribers());
    assert.equal(error.kind, "failed");
    assert.match(error.message, /failed with HTTP 503: subscriber store unavailable$/);
  });

  it("refuses a 2xx reply that lacks a documented field", async () => {
    reply = { status: 200, body: { subscribers: [{ username: "1000" }] } };
    const error = await failure(auth().listSubscribers());
    assert.equal(error.kind, "bad-reply");
    assert.match(error.message, /sent an unexpected reply \("domain" is not a string\)/);
    reply = { status: 200, body: "<html>" };
    assert.equal((await failure(auth().listSubscribers())).kind, "bad-reply");
  });

  it("escapes user and domain in the path so metacharacters stay data", async () => {
    reply = { status: 204 };
    await auth().deleteSubscriber({ username: "o'b/r%i?e#n", domain: "example.com" });
    assert.equal(stub.requests.at(-1)?.url, "/v1/subscribers/example.com/o'b%2Fr%25i%3Fe%23n");
  });

  it("reads an AOR's contacts with absent optional fields as null", async () => {
    reply = {
      status: 200,
      body: { ...user, contacts: [{ uri: "sip:1000@192.0.2.1", expires: 60, q: 1 }] },
    };
    const location = new LocationAdminClient(endpointAt(stub.url, "location"));
    const aor = await location.getAor(user);
    assert.deepEqual(aor.contacts[0], {
      uri: "sip:1000@192.0.2.1",
      expires: 60,
      q: 1,
      received: null,
      path: [],
      userAgent: null,
      callId: null,
      cseq: null,
      instance: null,
      regId: null,
    });
  });

  it("gives up after the timeout when the service does not answer", async () => {
    reply = undefined;
    const client = new AuthAdminClient(endpointAt(stub.url, "auth", 50));
    const error = await failure(client.listSubscribers());
    assert.equal(error.kind, "timeout");
    assert.equal(error.message, `auth admin API at ${stub.url} did not answer within 50 ms`);
  });
});

describe("admin HTTP transport failures", () => {
  it("says the connection was refused when nothing listens", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const error = await failure(new LocationAdminClient(endpointAt(url, "location")).listAors());
    assert.equal(error.kind, "unreachable");
    assert.equal(error.message, `cannot reach location admin API at ${url} (connection refused)`);
    assert.ok(error.cause instanceof Error);
  });

  it("explains that fetch refuses a reserved port such as 1", async () => {
    const error = await failure(
      new AuthAdminClient(endpointAt("http://127.0.0.1:1")).listSubscribers(),
    );
    assert.equal(
      error.message,
      "cannot reach auth admin API at http://127.0.0.1:1 (fetch refuses reserved port 1)",
    );
  });
});
