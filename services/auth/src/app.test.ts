// The admin HTTP API against the real MySQL, with its change events on the real NATS.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { SubscriberChangedEventSchema } from "@switchboard/contracts";
import type { Subscription } from "nats";
import { type AuthTestEnv, startAuthTestEnv } from "./service-test-env.js";

const md5 = (text: string) => createHash("md5").update(text).digest("hex");
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

interface SubscriberRow {
  username: string;
  domain: string;
  password: string;
  ha1: string;
  ha1b: string;
  ha1_sha256: string;
  email_address: string;
}

async function rowOf(env: AuthTestEnv, username: string): Promise<SubscriberRow | undefined> {
  const [rows] = await env.service.pool.execute(
    "SELECT username, domain, password, ha1, ha1b, ha1_sha256, email_address FROM subscriber WHERE username = ?",
    [username],
  );
  return (rows as SubscriberRow[])[0];
}

describe("admin API", () => {
  let env: AuthTestEnv;
  let events: Subscription;
  const received: unknown[] = [];

  before(async () => {
    env = await startAuthTestEnv();
    events = env.client.subscribe(env.service.subjects.subscriberChanged, {
      callback: (_error, msg) => received.push(SubscriberChangedEventSchema.parse(msg.json())),
    });
    await env.client.flush();
  });
  after(async () => {
    events.unsubscribe();
    await env.close();
  });

  /** Adds a subscriber and waits for its creation event, so later counts start after it. */
  async function addAnnounced(username: string, domain: string, password: string): Promise<void> {
    const from = received.length;
    await env.addSubscriber(username, domain, password);
    await eventsSince(from, 1);
  }

  /** Waits (bounded) until `count` events have arrived since `from`. */
  async function eventsSince(from: number, count: number): Promise<unknown[]> {
    await env.client.flush();
    const deadline = Date.now() + 2000;
    while (received.length < from + count && Date.now() < deadline) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    return received.slice(from);
  }

  it("MUST answer 401 without a token or with a wrong one, on every route", async () => {
    const routes = [
      ["GET", "/v1/subscribers"],
      ["POST", "/v1/subscribers"],
      ["GET", "/v1/subscribers/example.com/alice"],
      ["DELETE", "/v1/subscribers/example.com/alice"],
      ["PUT", "/v1/subscribers/example.com/alice/password"],
    ] as const;
    for (const [method, url] of routes) {
      for (const authorization of [undefined, "Bearer wrong-token", "Basic dGVzdA=="]) {
        const response = await env.service.app.inject({
          method,
          url,
          headers: authorization === undefined ? {} : { authorization },
          payload: { username: "x", domain: "example.com", password: "p" },
        });
        assert.equal(response.statusCode, 401, `${method} ${url} ${authorization}`);
        assert.deepEqual(response.json(), { error: "unauthorized" });
      }
    }
  });

  it("creates a subscriber (201), storing HA1s and no plain password, and announces it", async () => {
    const from = received.length;
    const response = await env.admin("POST", "/v1/subscribers", {
      username: "1000",
      domain: "Example.COM",
      password: "password1",
      email: "user1@nowhere.com",
    });
    assert.equal(response.statusCode, 201);
    assert.deepEqual(response.json(), {
      username: "1000",
      domain: "example.com",
      email: "user1@nowhere.com",
    });
    assert.deepEqual(await rowOf(env, "1000"), {
      username: "1000",
      domain: "example.com",
      password: "",
      ha1: md5("1000:example.com:password1"),
      ha1b: md5("1000@example.com:example.com:password1"),
      ha1_sha256: sha256("1000:example.com:password1"),
      email_address: "user1@nowhere.com",
    });
    assert.deepEqual(await eventsSince(from, 1), [{ username: "1000", domain: "example.com" }]);
  });

  it("answers 409 for an existing subscriber, whatever the case of the domain", async () => {
    await env.addSubscriber("dup", "example.com", "pw");
    const again = await env.admin("POST", "/v1/subscribers", {
      username: "dup",
      domain: "EXAMPLE.com",
      password: "other",
    });
    assert.equal(again.statusCode, 409);
    assert.deepEqual(again.json(), { error: "subscriber exists" });
  });

  it("treats usernames as case-sensitive", async () => {
    await env.addSubscriber("Casey", "example.com", "pw");
    assert.equal((await env.admin("GET", "/v1/subscribers/example.com/casey")).statusCode, 404);
    assert.equal((await env.admin("GET", "/v1/subscribers/example.com/Casey")).statusCode, 200);
  });

  it("answers 400 with an error message for invalid input", async () => {
    const bodies: unknown[] = [
      { domain: "example.com", password: "pw" },
      { username: "u", domain: "example.com" },
      { username: "", domain: "example.com", password: "pw" },
      { username: "u".repeat(65), domain: "example.com", password: "pw" },
      { username: "line\nbreak", domain: "example.com", password: "pw" },
      { username: "u", domain: "not a domain", password: "pw" },
      { username: "u", domain: "-bad-.example", password: "pw" },
      { username: "u", domain: "example.com", password: "" },
      { username: "u", domain: "example.com", password: "p".repeat(65) },
    ];
    for (const body of bodies) {
      const response = await env.admin("POST", "/v1/subscribers", body);
      assert.equal(response.statusCode, 400, JSON.stringify(body));
      assert.equal(typeof (response.json() as { error: unknown }).error, "string");
    }
    const malformed = await env.service.app.inject({
      method: "POST",
      url: "/v1/subscribers",
      headers: {
        authorization: `Bearer ${env.config.ADMIN_TOKEN}`,
        "content-type": "application/json",
      },
      payload: '{"username": ',
    });
    assert.equal(malformed.statusCode, 400);
    assert.equal(typeof (malformed.json() as { error: unknown }).error, "string");
    assert.equal((await env.admin("GET", "/v1/subscribers?domain=bad%20domain")).statusCode, 400);
  });

  it("lists subscribers, optionally of one domain, without secrets", async () => {
    await env.addSubscriber("lister", "list.example", "pw");
    await env.addSubscriber("other", "elsewhere.example", "pw");
    const response = await env.admin("GET", "/v1/subscribers?domain=LIST.example");
    assert.equal(response.statusCode, 200);
    const { subscribers } = response.json() as { subscribers: Record<string, unknown>[] };
    assert.equal(subscribers.length, 1);
    const [listed] = subscribers;
    assert.deepEqual(Object.keys(listed ?? {}).sort(), [
      "createdAt",
      "domain",
      "email",
      "username",
    ]);
    assert.equal(listed?.username, "lister");
    assert.ok(!Number.isNaN(Date.parse(String(listed?.createdAt))));
    const all = (await env.admin("GET", "/v1/subscribers")).json() as { subscribers: unknown[] };
    assert.ok(all.subscribers.length >= 2);
  });

  it("shows one subscriber (200) or answers 404", async () => {
    await env.addSubscriber("shown", "example.com", "secret-pw");
    const shown = await env.admin("GET", "/v1/subscribers/EXAMPLE.com/shown");
    assert.equal(shown.statusCode, 200);
    assert.equal((shown.json() as { username: string }).username, "shown");
    assert.doesNotMatch(JSON.stringify(shown.json()), /secret-pw|password/);
    const missing = await env.admin("GET", "/v1/subscribers/example.com/nobody");
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.json(), { error: "no such subscriber" });
  });

  it("finds usernames with '/', '%', quotes and backslashes through URL-encoded paths", async () => {
    const username = `a/b%c'd"e\\f`;
    await env.addSubscriber(username, "example.com", "pw");
    const path = `/v1/subscribers/example.com/${encodeURIComponent(username)}`;
    assert.equal((await env.admin("GET", path)).statusCode, 200);
    assert.equal((await env.admin("PUT", `${path}/password`, { password: "new" })).statusCode, 204);
    assert.equal((await env.admin("DELETE", path)).statusCode, 204);
    assert.equal(await rowOf(env, username), undefined);
  });

  it("changes a password (204), rewriting every HA1, and announces it; 404 when unknown", async () => {
    await addAnnounced("changer", "example.com", "before");
    const from = received.length;
    const changed = await env.admin("PUT", "/v1/subscribers/example.com/changer/password", {
      password: "after",
    });
    assert.equal(changed.statusCode, 204);
    const row = await rowOf(env, "changer");
    assert.equal(row?.ha1, md5("changer:example.com:after"));
    assert.equal(row?.ha1_sha256, sha256("changer:example.com:after"));
    assert.deepEqual(await eventsSince(from, 1), [{ username: "changer", domain: "example.com" }]);
    const unknown = await env.admin("PUT", "/v1/subscribers/example.com/ghost/password", {
      password: "x",
    });
    assert.equal(unknown.statusCode, 404);
    const empty = await env.admin("PUT", "/v1/subscribers/example.com/changer/password", {
      password: "",
    });
    assert.equal(empty.statusCode, 400);
  });

  it("deletes a subscriber (204) and announces it; 404 the second time", async () => {
    await addAnnounced("leaver", "example.com", "pw");
    const from = received.length;
    assert.equal((await env.admin("DELETE", "/v1/subscribers/example.com/leaver")).statusCode, 204);
    assert.deepEqual(await eventsSince(from, 1), [{ username: "leaver", domain: "example.com" }]);
    assert.equal((await env.admin("DELETE", "/v1/subscribers/example.com/leaver")).statusCode, 404);
  });

  it("serves /healthz, /readyz and /metrics without a token", async () => {
    assert.equal((await env.service.app.inject({ url: "/healthz" })).statusCode, 200);
    const ready = await env.service.app.inject({ url: "/readyz" });
    assert.equal(ready.statusCode, 200, ready.body);
    const metrics = await env.service.app.inject({ url: "/metrics" });
    assert.match(metrics.body, /switchboard_auth_subscribers/);
  });
});

describe("admin API with AUTH_CALCULATE_HA1 (SER calculate_ha1)", () => {
  let env: AuthTestEnv;

  before(async () => {
    env = await startAuthTestEnv({ AUTH_CALCULATE_HA1: true });
  });
  after(() => env.close());

  it("keeps the plain password and verifies with HA1s computed from it", async () => {
    await env.addSubscriber("plain", "example.com", "password1");
    assert.equal((await rowOf(env, "plain"))?.password, "password1");
    // The HA1 columns no longer matter: the password column is the source.
    await env.service.pool.execute(
      "UPDATE subscriber SET ha1 = '', ha1_sha256 = '' WHERE username = 'plain'",
    );
    const authorization = await env.credentials("example.com", {
      username: "plain",
      password: "password1",
      method: "REGISTER",
      uri: "sip:example.com",
    });
    const result = await env.verify({
      authorization,
      method: "REGISTER",
      realm: "example.com",
      requestUri: "sip:example.com",
    });
    assert.deepEqual(result, { ok: true, username: "plain", domain: "example.com" });
  });
});
