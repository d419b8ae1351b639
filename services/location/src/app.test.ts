import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type LocationServiceHandle, startLocationService } from "./service.js";
import {
  createTestEnv,
  type LocationClient,
  locationClient,
  registerOf,
  silentLogger,
  type TestEnv,
} from "./test-harness.js";

const TOKEN = "admin-token-for-tests-0123456789";
let env: TestEnv;
let service: LocationServiceHandle;
let client: LocationClient;

before(async () => {
  env = await createTestEnv("admin");
  service = await startLocationService(await env.config({ ADMIN_TOKEN: TOKEN }), {
    logger: silentLogger,
    sweepOnTimer: false,
  });
  client = locationClient(env.nc, env.prefix);
});

after(async () => {
  await service?.stop();
  await env?.cleanup();
});

function call(method: "GET" | "POST" | "DELETE", url: string, payload?: unknown, token = TOKEN) {
  return service.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

describe("admin API: contacts", () => {
  it("MUST answer 401 without the bearer token or with a wrong one", async () => {
    const none = await service.app.inject({ method: "GET", url: "/v1/aors" });
    assert.equal(none.statusCode, 401);
    const wrong = await call("GET", "/v1/aors", undefined, "not-the-token");
    assert.equal(wrong.statusCode, 401);
  });

  it("MUST list AORs with their contact counts and show one AOR's contacts in detail", async () => {
    await client.save({
      ...registerOf("alice", "sip:alice@192.0.2.1"),
      contacts: [{ uri: "sip:alice@192.0.2.1", q: 0.7 }, { uri: "sip:alice@192.0.2.2" }],
      received: "udp:203.0.113.5:5062",
      userAgent: "phone/1",
      headerExpires: 600,
      cseq: 4,
    });
    const list = await call("GET", "/v1/aors");
    assert.equal(list.statusCode, 200);
    assert.deepEqual(
      list.json().aors.filter((aor: { username: string }) => aor.username === "alice"),
      [{ username: "alice", domain: "example.com", contacts: 2 }],
    );
    const shown = await call("GET", "/v1/aors/EXAMPLE.com/alice");
    assert.equal(shown.statusCode, 200);
    const body = shown.json();
    assert.equal(body.username, "alice");
    assert.equal(body.domain, "example.com");
    assert.deepEqual(
      body.contacts.map((contact: Record<string, unknown>) => ({ ...contact, expires: undefined })),
      [
        {
          uri: "sip:alice@192.0.2.2",
          expires: undefined,
          q: 1,
          received: "udp:203.0.113.5:5062",
          path: null,
          userAgent: "phone/1",
          callId: "call-alice",
          cseq: 4,
          instance: null,
          regId: null,
        },
        {
          uri: "sip:alice@192.0.2.1",
          expires: undefined,
          q: 0.7,
          received: "udp:203.0.113.5:5062",
          path: null,
          userAgent: "phone/1",
          callId: "call-alice",
          cseq: 4,
          instance: null,
          regId: null,
        },
      ],
    );
    assert.ok(body.contacts.every((contact: { expires: number }) => contact.expires > 590));
  });

  it("MUST answer 404 for an AOR without bindings", async () => {
    const response = await call("GET", "/v1/aors/example.com/nobody");
    assert.equal(response.statusCode, 404);
    assert.deepEqual(response.json(), { error: "no such AOR" });
  });

  it("MUST remove every binding of an AOR, in memory and in MySQL, then answer 404", async () => {
    const username = "o'hara;--%\\\"x";
    await client.save(registerOf(username, "sip:oh@192.0.2.3"));
    const path = `/v1/aors/example.com/${encodeURIComponent(username)}`;
    assert.equal((await call("GET", path)).statusCode, 200);
    assert.equal((await call("DELETE", path)).statusCode, 204);
    assert.deepEqual(await client.lookup({ username, domain: "example.com" }), { contacts: [] });
    const [rows] = await env.pool.query("SELECT COUNT(*) AS n FROM location WHERE username = ?", [
      username,
    ]);
    assert.equal(Number((rows as { n: number }[])[0]?.n), 0);
    assert.equal((await call("DELETE", path)).statusCode, 404);
  });

  it("MUST answer 400 with an error message for a malformed user name", async () => {
    const response = await call("GET", "/v1/aors/example.com/has%20space");
    assert.equal(response.statusCode, 400);
    assert.equal(typeof response.json().error, "string");
  });
});

describe("admin API: aliases", () => {
  const alias = { username: "sales%_'x", domain: "Example.com" };
  const target = { username: "alice", domain: "example.com" };

  it("MUST create an alias (201), refuse a duplicate (409) and list it", async () => {
    const created = await call("POST", "/v1/aliases", { alias, target });
    assert.equal(created.statusCode, 201);
    assert.deepEqual(created.json(), { alias: { ...alias, domain: "example.com" }, target });
    const duplicate = await call("POST", "/v1/aliases", { alias, target });
    assert.equal(duplicate.statusCode, 409);
    assert.deepEqual(duplicate.json(), { error: "alias exists" });
    const list = await call("GET", "/v1/aliases");
    assert.deepEqual(list.json(), {
      aliases: [{ alias: { ...alias, domain: "example.com" }, target }],
    });
  });

  it("MUST answer 400 with an error message for a malformed alias", async () => {
    for (const body of [
      { alias },
      { alias: { username: "", domain: "example.com" }, target },
      { alias, target: { username: "x", domain: "bad domain" } },
    ]) {
      const response = await call("POST", "/v1/aliases", body);
      assert.equal(response.statusCode, 400, JSON.stringify(body));
      assert.equal(typeof response.json().error, "string");
    }
  });

  it("MUST delete an alias (204) and answer 404 for one that does not exist", async () => {
    const path = `/v1/aliases/example.com/${encodeURIComponent(alias.username)}`;
    assert.equal((await call("DELETE", path)).statusCode, 204);
    assert.equal(await client.resolveAlias({ ...alias, domain: "example.com" }), null);
    assert.equal((await call("DELETE", path)).statusCode, 404);
  });
});
