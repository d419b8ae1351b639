// auth.v1.challenge and auth.v1.verify over the real NATS, subscribers in the real
// MySQL, created through the admin API.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ManualClock } from "@switchboard/kit/testing";
import {
  buildDigestAuthorization,
  computeDigestResponse,
  computeHa1,
  type DigestClientInput,
  parseDigestChallenge,
} from "@switchboard/sip";
import { type AuthTestEnv, startAuthTestEnv } from "./service-test-env.js";

const REALM = "example.com";
const REGISTRAR_URI = "sip:example.com";
const ALICE: DigestClientInput = {
  username: "alice",
  password: "alice-secret",
  method: "REGISTER",
  uri: REGISTRAR_URI,
};

function registerRequest(
  authorization: string,
  extra: { body?: string; requestUri?: string } = {},
) {
  return {
    authorization,
    method: "REGISTER",
    realm: REALM,
    requestUri: extra.requestUri ?? REGISTRAR_URI,
    ...(extra.body === undefined ? {} : { body: extra.body }),
  };
}

/** Sends raw bytes on a subject and returns the decoded reply. */
async function rawRequest(env: AuthTestEnv, subject: string, payload: string): Promise<unknown> {
  const reply = await env.client.request(subject, new TextEncoder().encode(payload), {
    timeout: 2000,
  });
  return JSON.parse(new TextDecoder().decode(reply.data));
}

describe("auth.v1.verify over NATS", () => {
  const clock = new ManualClock(Date.now());
  let env: AuthTestEnv;

  before(async () => {
    env = await startAuthTestEnv({ AUTH_ALGORITHMS: ["MD5", "SHA-256"] }, { clock });
    await env.addSubscriber("alice", REALM, "alice-secret");
    await env.addSubscriber("Mufasa", "host.com", "Circle Of Life");
    await env.addSubscriber("Mufasa", "example.org", "Circle of Life");
  });
  after(() => env.close());

  it("accepts the RFC 2617 §3.5 example credentials, realm adapted to a domain", async () => {
    // The helper reproduces the RFC's own response for the RFC's own values...
    const rfc = {
      nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
      cnonce: "0a4f113b",
      nc: "00000001",
      qop: "auth",
      method: "GET",
      uri: "/dir/index.html",
    } as const;
    const rfcHa1 = computeHa1("MD5", "Mufasa", "testrealm@host.com", "Circle Of Life");
    assert.equal(
      computeDigestResponse({ algorithm: "MD5", ha1: rfcHa1, ...rfc }),
      "6629fae49393a05397450978507c4ef1",
    );
    // ...and the service accepts the same exchange against one of its own nonces.
    const authorization = await env.credentials("host.com", {
      username: "Mufasa",
      password: "Circle Of Life",
      method: "GET",
      uri: "/dir/index.html",
      cnonce: rfc.cnonce,
    });
    assert.deepEqual(
      await env.verify({
        authorization,
        method: "GET",
        realm: "host.com",
        requestUri: "/dir/index.html",
      }),
      { ok: true, username: "Mufasa", domain: "host.com" },
    );
  });

  it("accepts the RFC 7616 §3.9.1 example with MD5 and with SHA-256 (RFC 8760), realm adapted", async () => {
    const headers = await env.challenge({ realm: "example.org" });
    assert.deepEqual(
      headers.map((header) => parseDigestChallenge(header).algorithm),
      ["MD5", "SHA-256"],
    );
    for (const header of headers) {
      const authorization = buildDigestAuthorization(parseDigestChallenge(header), {
        username: "Mufasa",
        password: "Circle of Life",
        method: "GET",
        uri: "/dir/index.html",
        cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
      });
      const result = await env.verify({
        authorization,
        method: "GET",
        realm: "example.org",
        requestUri: "/dir/index.html",
      });
      assert.deepEqual(result, { ok: true, username: "Mufasa", domain: "example.org" }, header);
    }
  });

  it("answers a wrong password with bad-password and an unknown user with unknown-user, both plain failures", async () => {
    const wrong = await env.verify(
      registerRequest(await env.credentials(REALM, { ...ALICE, password: "guess" })),
    );
    const unknown = await env.verify(
      registerRequest(await env.credentials(REALM, { ...ALICE, username: "nobody" })),
    );
    assert.deepEqual(wrong, { ok: false, reason: "bad-password" });
    assert.deepEqual(unknown, { ok: false, reason: "unknown-user" });
    assert.deepEqual(Object.keys(wrong), Object.keys(unknown));
  });

  it("answers right credentials with an expired nonce as stale-nonce (RFC 7616 §3.3)", async () => {
    const authorization = await env.credentials(REALM, ALICE);
    clock.advance((env.config.NONCE_LIFETIME_S + 1) * 1000);
    assert.deepEqual(await env.verify(registerRequest(authorization)), {
      ok: false,
      reason: "stale-nonce",
    });
  });

  it("MUST refuse a replayed nonce-count (RFC 7616 §3.4) and accept the next count", async () => {
    const [header = ""] = await env.challenge({ realm: REALM });
    const challenge = parseDigestChallenge(header);
    const first = buildDigestAuthorization(challenge, { ...ALICE, nc: 1 });
    assert.equal((await env.verify(registerRequest(first))).ok, true);
    assert.deepEqual(await env.verify(registerRequest(first)), {
      ok: false,
      reason: "nonce-reused",
    });
    const second = buildDigestAuthorization(challenge, { ...ALICE, nc: 2 });
    assert.equal((await env.verify(registerRequest(second))).ok, true);
  });

  it("refuses credentials for another realm (RFC 3261 §22.4)", async () => {
    const authorization = await env.credentials("other.example", ALICE);
    assert.deepEqual(await env.verify(registerRequest(authorization)), {
      ok: false,
      reason: "realm-mismatch",
    });
  });

  it("refuses a digest-uri that is not the Request-URI, and accepts one differing in host case", async () => {
    const elsewhere = await env.credentials(REALM, { ...ALICE, uri: "sip:elsewhere.example" });
    assert.deepEqual(await env.verify(registerRequest(elsewhere)), {
      ok: false,
      reason: "uri-mismatch",
    });
    const upper = await env.credentials(REALM, { ...ALICE, uri: "sip:EXAMPLE.com" });
    assert.equal((await env.verify(registerRequest(upper))).ok, true);
  });

  it("verifies qop=auth-int over the base64 body, and refuses a body that differs", async () => {
    const body = "v=0\r\no=alice 1 1 IN IP4 192.0.2.1\r\n";
    const offer = { qop: "auth,auth-int" } as const;
    const authorization = await env.credentials(REALM, { ...ALICE, qop: "auth-int", body }, offer);
    const encoded = Buffer.from(body).toString("base64");
    assert.equal((await env.verify(registerRequest(authorization, { body: encoded }))).ok, true);
    const other = await env.credentials(REALM, { ...ALICE, qop: "auth-int", body }, offer);
    const tampered = Buffer.from(`${body}a=evil\r\n`).toString("base64");
    assert.deepEqual(await env.verify(registerRequest(other, { body: tampered })), {
      ok: false,
      reason: "bad-password",
    });
  });

  it("offers no qop when asked (RFC 2069 compatibility) and verifies the qop-less answer", async () => {
    const [header = ""] = await env.challenge({ realm: REALM, qop: "none" });
    assert.doesNotMatch(header, /qop/);
    const authorization = buildDigestAuthorization(parseDigestChallenge(header), ALICE);
    assert.doesNotMatch(authorization, /nc=/);
    assert.equal((await env.verify(registerRequest(authorization))).ok, true);
  });

  it("refuses a nonce no instance issued as bad-nonce", async () => {
    const authorization = (await env.credentials(REALM, ALICE)).replace(
      /nonce="[^"]+"/,
      `nonce="${"x".repeat(48)}"`,
    );
    assert.deepEqual(await env.verify(registerRequest(authorization)), {
      ok: false,
      reason: "bad-nonce",
    });
  });

  it("stores usernames with SQL metacharacters as data and verifies them", async () => {
    const usernames = [
      "o'brien",
      'x"; DROP TABLE subscriber; --',
      "100%_",
      "back\\slash\\",
      "a%",
      "_",
    ];
    for (const username of usernames) {
      await env.addSubscriber(username, REALM, `pw-${username}`);
    }
    for (const username of usernames) {
      const user = { ...ALICE, username, password: `pw-${username}` };
      const ok = await env.verify(registerRequest(await env.credentials(REALM, user)));
      assert.deepEqual(ok, { ok: true, username, domain: REALM }, username);
      const wrong = await env.verify(
        registerRequest(await env.credentials(REALM, { ...user, password: "nope" })),
      );
      assert.deepEqual(wrong, { ok: false, reason: "bad-password" }, username);
    }
    // Wildcards match nothing but themselves: "a%" is not "alice".
    const likeAlice = { ...ALICE, username: "a%" };
    assert.deepEqual(await env.verify(registerRequest(await env.credentials(REALM, likeAlice))), {
      ok: false,
      reason: "bad-password",
    });
    const listed = (await env.admin("GET", `/v1/subscribers?domain=${REALM}`)).json() as {
      subscribers: { username: string }[];
    };
    for (const username of usernames) {
      assert.ok(
        listed.subscribers.some((s) => s.username === username),
        username,
      );
    }
  });

  it("answers malformed payloads with the bad-request error reply", async () => {
    const { authVerify, authChallenge } = env.service.subjects;
    const payloads: [string, string][] = [
      [authVerify, "not json"],
      [authVerify, "{}"],
      [authVerify, JSON.stringify({ ...registerRequest("Digest x=1"), method: "BAD METHOD" })],
      [authVerify, JSON.stringify({ ...registerRequest("Digest x=1"), body: "%%%" })],
      [authVerify, JSON.stringify({ ...registerRequest("Digest x=1"), realm: 'a"b' })],
      [authChallenge, JSON.stringify({ realm: REALM, qop: "auth-conf", proxy: false })],
      [authChallenge, "[1,2"],
    ];
    for (const [subject, payload] of payloads) {
      const reply = (await rawRequest(env, subject, payload)) as { error?: { code?: string } };
      assert.equal(reply.error?.code, "bad-request", `${subject} ${payload}`);
    }
  });

  it("answers unparsable credentials as malformed, not as an error", async () => {
    assert.deepEqual(await env.verify(registerRequest('Digest username="alice", realm=')), {
      ok: false,
      reason: "malformed",
    });
  });
});
