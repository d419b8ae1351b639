import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { subjects } from "@switchboard/contracts";
import { ManualClock } from "@switchboard/kit/testing";
import { type LocationServiceHandle, startLocationService } from "./service.js";
import {
  createTestEnv,
  type LocationClient,
  locationClient,
  registerOf,
  silentLogger,
  type TestEnv,
} from "./test-harness.js";

let env: TestEnv;
let service: LocationServiceHandle;
let client: LocationClient;
const clock = new ManualClock(Date.now());

before(async () => {
  env = await createTestEnv("nats");
  service = await startLocationService(await env.config({ MAX_CONTACTS: "3" }), {
    clock,
    logger: silentLogger,
    sweepOnTimer: false,
  });
  client = locationClient(env.nc, env.prefix);
});

after(async () => {
  await service?.stop();
  await env?.cleanup();
});

async function rawRequest(subject: string, payload: string): Promise<unknown> {
  const reply = await env.nc.request(subject, new TextEncoder().encode(payload), { timeout: 5000 });
  return JSON.parse(new TextDecoder().decode(reply.data));
}

describe("location.v1.save and location.v1.lookup over NATS", () => {
  it("MUST answer a REGISTER with every current binding and its remaining expiration", async () => {
    const first = await client.save(
      registerOf("alice", "sip:alice@192.0.2.1:5062", { headerExpires: 600 }),
    );
    assert.deepEqual(first, {
      ok: true,
      bindings: [{ uri: "sip:alice@192.0.2.1:5062", expires: 600, q: 1 }],
    });
    clock.advance(100_000);
    const second = await client.save(
      registerOf("alice", "sip:alice@198.51.100.2", {
        callId: "other",
        contacts: [{ uri: "sip:alice@198.51.100.2", q: 0.5 }],
      }),
    );
    assert.deepEqual(second, {
      ok: true,
      bindings: [
        { uri: "sip:alice@192.0.2.1:5062", expires: 500, q: 1 },
        { uri: "sip:alice@198.51.100.2", expires: 3600, q: 0.5 },
      ],
    });
  });

  it("MUST return the contacts of an AOR by q, with received, Path, socket, instance and reg-id", async () => {
    await client.save({
      aor: { username: "carol", domain: "Example.COM" },
      contacts: [
        { uri: "sip:carol@10.0.0.1:5062;ob", q: 0.2, instance: "<urn:uuid:c1>", regId: 1 },
        { uri: "sip:carol@10.0.0.2", q: 0.9 },
      ],
      callId: "carol-1",
      cseq: 10,
      received: "udp:203.0.113.5:5062",
      path: ["sip:edge.example.com;lr"],
      socket: "udp:198.51.100.1:5060",
      userAgent: "phone/2",
    });
    const found = await client.lookup({ username: "carol", domain: "example.com" });
    assert.deepEqual(found.contacts, [
      {
        uri: "sip:carol@10.0.0.2",
        q: 0.9,
        expires: 3600,
        received: "udp:203.0.113.5:5062",
        path: ["sip:edge.example.com;lr"],
        socket: "udp:198.51.100.1:5060",
      },
      {
        uri: "sip:carol@10.0.0.1:5062;ob",
        q: 0.2,
        expires: 3600,
        received: "udp:203.0.113.5:5062",
        path: ["sip:edge.example.com;lr"],
        instance: "<urn:uuid:c1>",
        regId: 1,
        socket: "udp:198.51.100.1:5060",
      },
    ]);
  });

  it("MUST answer an unknown AOR with no contacts, and match user names exactly", async () => {
    assert.deepEqual(await client.lookup({ username: "nobody", domain: "example.com" }), {
      contacts: [],
    });
    assert.deepEqual(await client.lookup({ username: "CAROL", domain: "example.com" }), {
      contacts: [],
    });
  });

  it("MUST answer interval-too-brief with the minimum for a too short expiration (RFC 3261 §10.3 step 7)", async () => {
    const reply = await client.save(
      registerOf("dave", "sip:dave@192.0.2.4", { headerExpires: 30 }),
    );
    assert.deepEqual(reply, { ok: false, reason: "interval-too-brief", minExpires: 60 });
    assert.deepEqual(await client.lookup({ username: "dave", domain: "example.com" }), {
      contacts: [],
    });
  });

  it("MUST refuse a replayed REGISTER as out-of-order and keep the binding (RFC 3261 §10.3 step 7)", async () => {
    await client.save(registerOf("erin", "sip:erin@192.0.2.5", { cseq: 5 }));
    const replay = await client.save(
      registerOf("erin", "sip:erin@192.0.2.5", { cseq: 5, headerExpires: 0 }),
    );
    assert.deepEqual(replay, { ok: false, reason: "out-of-order" });
    assert.equal(
      (await client.lookup({ username: "erin", domain: "example.com" })).contacts.length,
      1,
    );
  });

  it("MUST refuse contacts beyond MAX_CONTACTS as too-many-contacts", async () => {
    const contacts = ["a", "b", "c", "d"].map((host) => ({ uri: `sip:frank@${host}.example.net` }));
    const reply = await client.save({ ...registerOf("frank", ""), contacts });
    assert.deepEqual(reply, { ok: false, reason: "too-many-contacts", max: 3 });
  });

  it("MUST remove every binding for Contact: * with Expires: 0 and refuse * otherwise", async () => {
    await client.save(registerOf("gina", "sip:gina@192.0.2.7"));
    const misuse = await client.save({
      ...registerOf("gina", ""),
      contacts: "*",
      cseq: 2,
      headerExpires: 5,
    });
    assert.equal(misuse.ok === false && misuse.reason, "invalid");
    const removed = await client.save({
      ...registerOf("gina", ""),
      contacts: "*",
      cseq: 3,
      headerExpires: 0,
    });
    assert.deepEqual(removed, { ok: true, bindings: [] });
    assert.deepEqual(await client.lookup({ username: "gina", domain: "example.com" }), {
      contacts: [],
    });
  });

  it("MUST store and find user names with SQL metacharacters as plain data", async () => {
    const names = [
      "o'brien",
      'quote"d',
      "semi;colon",
      "back\\slash",
      "dash--dash",
      "100%",
      "x' OR '1'='1",
    ];
    for (const [index, username] of names.entries()) {
      const reply = await client.save(registerOf(username, `sip:user${index}@192.0.2.9`));
      assert.equal(reply.ok, true, username);
    }
    for (const [index, username] of names.entries()) {
      const found = await client.lookup({ username, domain: "example.com" });
      assert.deepEqual(
        found.contacts.map((contact) => contact.uri),
        [`sip:user${index}@192.0.2.9`],
        username,
      );
    }
    const [rows] = await env.pool.query(
      "SELECT COUNT(*) AS n FROM location WHERE username LIKE ?",
      ["%'%"],
    );
    assert.equal(
      Number((rows as { n: number }[])[0]?.n),
      2,
      "o'brien and the injection attempt are rows",
    );
  });

  it("MUST answer malformed payloads with a bad-request error reply", async () => {
    const { locationSave, locationLookup, locationResolveAlias } = subjects(env.prefix);
    for (const [subject, payload] of [
      [locationSave, "not json"],
      [locationSave, JSON.stringify({ aor: { username: "a", domain: "example.com" } })],
      [locationSave, JSON.stringify({ ...registerOf("a", "sip:a@h"), cseq: -1 })],
      [
        locationSave,
        JSON.stringify({ ...registerOf("a", "sip:a@h"), contacts: [{ uri: "sip:a@h", q: 2 }] }),
      ],
      [locationLookup, JSON.stringify({ aor: { username: "", domain: "example.com" } })],
      [locationResolveAlias, JSON.stringify({ username: "a\r\nb", domain: "example.com" })],
    ] as const) {
      const reply = (await rawRequest(subject, payload)) as { error?: { code?: string } };
      assert.equal(reply.error?.code, "bad-request", `${subject} ${payload}`);
    }
  });

  it("MUST answer a Contact that is not a URI as invalid", async () => {
    const reply = await client.save(registerOf("hank", "sip:hank@bad host"));
    assert.equal(reply.ok === false && reply.reason, "invalid");
  });
});

describe("location.v1.resolve-alias over NATS", () => {
  it("MUST map an alias to its target AOR and an unknown one to null", async () => {
    const created = await service.app.inject({
      method: "POST",
      url: "/v1/aliases",
      headers: { authorization: "Bearer dev-admin-token" },
      payload: {
        alias: { username: "sales';DROP/**/TABLE/**/aliases;--", domain: "Example.com" },
        target: { username: "alice", domain: "example.com" },
      },
    });
    assert.equal(created.statusCode, 201);
    assert.deepEqual(
      await client.resolveAlias({
        username: "sales';DROP/**/TABLE/**/aliases;--",
        domain: "example.com",
      }),
      { username: "alice", domain: "example.com" },
    );
    assert.equal(await client.resolveAlias({ username: "sales", domain: "example.com" }), null);
  });
});

describe("aliases: cached, and changed on every instance at once", () => {
  const headers = { authorization: "Bearer dev-admin-token" };
  const createAlias = (on: LocationServiceHandle, username: string, target: string) =>
    on.app.inject({
      method: "POST",
      url: "/v1/aliases",
      headers,
      payload: {
        alias: { username, domain: "example.com" },
        target: { username: target, domain: "example.com" },
      },
    });

  it("MUST answer a known alias from memory: a row removed behind its back still resolves", async () => {
    assert.equal((await createAlias(service, "support", "carol")).statusCode, 201);
    const alias = { username: "support", domain: "example.com" };
    assert.deepEqual(await client.resolveAlias(alias), {
      username: "carol",
      domain: "example.com",
    });
    await env.pool.query("DELETE FROM aliases WHERE alias_username = 'support'");
    assert.deepEqual(await client.resolveAlias(alias), {
      username: "carol",
      domain: "example.com",
    });
  });

  it("MUST drop a cached answer when the alias is added through another instance", async () => {
    const alias = { username: "helpdesk", domain: "example.com" };
    assert.equal(await client.resolveAlias(alias), null, "cached: not an alias");
    const other = await startLocationService(await env.config(), {
      clock,
      logger: silentLogger,
      sweepOnTimer: false,
    });
    try {
      assert.equal((await createAlias(other, "helpdesk", "dave")).statusCode, 201);
    } finally {
      await other.stop();
    }
    // Only the first instance answers now; its clock has not moved, so no TTL ran out.
    assert.deepEqual(await client.resolveAlias(alias), { username: "dave", domain: "example.com" });
  });

  it("MUST drop a cached answer when the alias is removed through its admin API", async () => {
    assert.equal((await createAlias(service, "billing", "erin")).statusCode, 201);
    const alias = { username: "billing", domain: "example.com" };
    assert.deepEqual(await client.resolveAlias(alias), { username: "erin", domain: "example.com" });
    const removed = await service.app.inject({
      method: "DELETE",
      url: "/v1/aliases/example.com/billing",
      headers,
    });
    assert.equal(removed.statusCode, 204);
    assert.equal(await client.resolveAlias(alias), null);
  });
});
