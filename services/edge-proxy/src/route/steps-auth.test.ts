import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AuthFailureReason, AuthVerifyRequest } from "@switchboard/contracts";
import { createLogger } from "@switchboard/kit";
import { FakeUpstream, sipRequest, testContext, testRouteDeps } from "../testing/unit-support.js";
import {
  checkFrom,
  checkTo,
  consumeCredentials,
  proxyAuthorize,
  proxyChallenge,
  wwwAuthorize,
  wwwChallenge,
} from "./steps-auth.js";

const CREDENTIALS =
  'Digest username="1000", realm="example.com", nonce="n1", uri="sip:example.com", response="0123456789abcdef0123456789abcdef"';

function authenticated(upstream: FakeUpstream, username = "1000"): void {
  upstream.verifyAnswer = (request) => ({ ok: true, username, domain: request.realm });
}

describe("www_authorize / www_challenge", () => {
  it("asks for credentials when the REGISTER carries none, without calling verify", async () => {
    const upstream = new FakeUpstream();
    const ctx = testContext(
      sipRequest("REGISTER", "sip:example.com", ["To: <sip:1000@example.com>"]),
    );
    const verdict = await wwwAuthorize(ctx, testRouteDeps(upstream));
    assert.deepEqual(verdict, { ok: false, reason: "no-credentials" });
    assert.equal(upstream.calls.length, 0);
  });

  it("verifies the credentials of the AOR's realm with the method and Request-URI as received", async () => {
    const upstream = new FakeUpstream();
    authenticated(upstream);
    const ctx = testContext(
      sipRequest("REGISTER", "sip:example.com", [
        "To: <sip:1000@example.com>",
        'Authorization: Digest username="1000", realm="other.example", nonce="x", uri="sip:example.com", response="r"',
        `Authorization: ${CREDENTIALS}`,
      ]),
    );
    assert.deepEqual(await wwwAuthorize(ctx, testRouteDeps(upstream)), { ok: true });
    const sent = upstream.calls[0]?.request as AuthVerifyRequest;
    assert.equal(sent.authorization, CREDENTIALS);
    assert.equal(sent.realm, "example.com");
    assert.equal(sent.method, "REGISTER");
    assert.equal(sent.requestUri, "sip:example.com");
    assert.deepEqual(ctx.user, { username: "1000", domain: "example.com" });
  });

  it("reports malformed Digest credentials as such (answered 400, not a new challenge)", async () => {
    const ctx = testContext(
      sipRequest("REGISTER", "sip:example.com", [
        'Authorization: Digest username=unterminated"quote',
      ]),
    );
    const deps = testRouteDeps();
    const verdict = await wwwAuthorize(ctx, deps);
    assert.deepEqual(verdict, { ok: false, reason: "malformed" });
    if (verdict.ok) return;
    const result = await wwwChallenge(ctx, deps, verdict);
    assert.ok(result.action === "reply" && result.reply.outcome === "malformed-credentials");
  });

  it("MUST answer 401 with one WWW-Authenticate per challenge auth made, for the AOR's realm", async () => {
    const upstream = new FakeUpstream();
    upstream.challengeAnswer = (request) => [
      `Digest realm="${request.realm}", nonce="a"`,
      "Digest b",
    ];
    const ctx = testContext(
      sipRequest("REGISTER", "sip:example.com", ["To: <sip:1000@example.net>"]),
    );
    const result = await wwwChallenge(ctx, testRouteDeps(upstream), {
      ok: false,
      reason: "bad-password",
    });
    assert.ok(result.action === "reply");
    assert.equal(result.reply.outcome, "unauthorized");
    assert.deepEqual(result.reply.headers, [
      { name: "WWW-Authenticate", value: 'Digest realm="example.net", nonce="a"' },
      { name: "WWW-Authenticate", value: "Digest b" },
    ]);
    assert.deepEqual(upstream.calls[0]?.request, {
      realm: "example.net",
      qop: "auth",
      proxy: false,
    });
  });

  it("MUST set stale=true in the new challenge when only the nonce was stale (RFC 7616 §3.3)", async () => {
    const upstream = new FakeUpstream();
    const ctx = testContext(
      sipRequest("REGISTER", "sip:example.com", ["To: <sip:1000@example.com>"]),
    );
    await wwwChallenge(ctx, testRouteDeps(upstream), { ok: false, reason: "stale-nonce" });
    assert.deepEqual(upstream.calls[0]?.request, {
      realm: "example.com",
      qop: "auth",
      proxy: false,
      stale: true,
    });
  });
});

describe("failed authentications in the log", () => {
  /** wwwAuthorize with verify answering `reason`, and the lines logged meanwhile. */
  async function failWith(reason: AuthFailureReason): Promise<Record<string, unknown>[]> {
    const upstream = new FakeUpstream();
    upstream.verifyAnswer = () => ({ ok: false, reason });
    const logged: Record<string, unknown>[] = [];
    const logger = createLogger({
      service: "edge-proxy",
      level: "info",
      destination: { write: (line: string) => logged.push(JSON.parse(line)) },
    });
    const ctx = testContext(
      sipRequest("REGISTER", "sip:example.com", [
        "To: <sip:1000@example.com>",
        `Authorization: ${CREDENTIALS}`,
      ]),
    );
    const verdict = await wwwAuthorize(ctx, { ...testRouteDeps(upstream), logger });
    assert.deepEqual(verdict, { ok: false, reason });
    return logged;
  }

  it("logs each failed authentication with the user tried, the source address and why, for log watchers", async () => {
    for (const reason of ["bad-password", "unknown-user", "nonce-reused"] as const) {
      const [line, ...more] = await failWith(reason);
      assert.equal(more.length, 0);
      assert.equal(line?.msg, "authentication failed");
      assert.equal(line?.level, "info");
      assert.deepEqual(
        [line?.user, line?.realm, line?.method, line?.ip, line?.port, line?.reason],
        ["1000", "example.com", "REGISTER", "198.51.100.7", 5060, reason],
      );
      assert.ok(!JSON.stringify(line).includes("0123456789abcdef"), "no digest response logged");
    }
  });

  it("does not log a stale nonce: the phone answers the new challenge with the same password", async () => {
    assert.deepEqual(await failWith("stale-nonce"), []);
  });
});

describe("proxy_authorize / proxy_challenge", () => {
  it("MUST challenge with 407 and Proxy-Authenticate for the caller's realm (RFC 3261 §22.3)", async () => {
    const upstream = new FakeUpstream();
    const ctx = testContext(
      sipRequest("INVITE", "sip:bob@example.com", ["From: <sip:1000@example.net>;tag=f"]),
    );
    const deps = testRouteDeps(upstream);
    const verdict = await proxyAuthorize(ctx, deps);
    assert.equal(verdict.ok, false);
    if (verdict.ok) return;
    const result = await proxyChallenge(ctx, deps, verdict);
    assert.ok(result.action === "reply");
    assert.equal(result.reply.outcome, "proxy-authentication-required");
    assert.equal(result.reply.headers?.[0]?.name, "Proxy-Authenticate");
    assert.deepEqual(upstream.calls[0]?.request, {
      realm: "example.net",
      qop: "auth",
      proxy: true,
    });
  });

  it("reads Proxy-Authorization, not Authorization", async () => {
    const upstream = new FakeUpstream();
    authenticated(upstream);
    const ctx = testContext(
      sipRequest("INVITE", "sip:bob@example.com", [
        "From: <sip:1000@example.com>;tag=f",
        `Authorization: ${CREDENTIALS}`,
      ]),
    );
    assert.deepEqual(await proxyAuthorize(ctx, testRouteDeps(upstream)), {
      ok: false,
      reason: "no-credentials",
    });
  });

  it("sends the body for auth-int only when auth-int is offered", async () => {
    const upstream = new FakeUpstream();
    authenticated(upstream);
    const request = sipRequest(
      "INVITE",
      "sip:bob@example.com",
      ["From: <sip:1000@example.com>;tag=f", `Proxy-Authorization: ${CREDENTIALS}`],
      "v=0\r\n",
    );
    await proxyAuthorize(testContext(request), {
      ...testRouteDeps(upstream),
      qop: "auth,auth-int",
    });
    await proxyAuthorize(testContext(request), testRouteDeps(upstream));
    const [withBody, withoutBody] = upstream.calls.map((call) => call.request as AuthVerifyRequest);
    assert.equal(withBody?.body, Buffer.from("v=0\r\n").toString("base64"));
    assert.equal(withoutBody?.body, undefined);
  });
});

describe("check_to / check_from", () => {
  const user = { username: "1000", domain: "example.com" };

  it("passes when To names the authenticated user in the same domain", () => {
    const ctx = testContext(
      sipRequest("REGISTER", "sip:example.com", ["To: <sip:1000@example.com>"]),
    );
    ctx.user = user;
    assert.equal(checkTo(ctx, testRouteDeps()).action, "continue");
  });

  it("MUST refuse with 403 a To naming someone else, or the user in another domain", () => {
    for (const to of [
      "<sip:1001@example.com>",
      "<sip:1000@example.net>",
      "<sip:1000@example.org>",
    ]) {
      const ctx = testContext(sipRequest("REGISTER", "sip:example.com", [`To: ${to}`]));
      ctx.user = user;
      const result = checkTo(ctx, testRouteDeps());
      assert.ok(result.action === "reply" && result.reply.outcome === "to-mismatch", to);
    }
  });

  it("takes an address naming this proxy as the default domain", () => {
    const ctx = testContext(sipRequest("REGISTER", "sip:192.0.2.1", ["To: <sip:1000@192.0.2.1>"]));
    ctx.user = user;
    assert.equal(checkTo(ctx, testRouteDeps()).action, "continue");
  });

  it("MUST refuse with 403 Use From=ID a From that is not the authenticated user", () => {
    const ctx = testContext(
      sipRequest("INVITE", "sip:bob@example.com", ["From: <sip:1001@example.com>;tag=f"]),
    );
    ctx.user = user;
    const result = checkFrom(ctx, testRouteDeps());
    assert.ok(result.action === "reply" && result.reply.outcome === "from-mismatch");
  });
});

describe("consume_credentials", () => {
  it("marks the verified credentials for removal, and nothing when none were verified", () => {
    const ctx = testContext(sipRequest("INVITE", "sip:bob@example.com"));
    consumeCredentials(ctx);
    assert.equal(ctx.consumeCredentials, false);
    ctx.credentials = { header: "Proxy-Authorization", value: CREDENTIALS };
    consumeCredentials(ctx);
    assert.equal(ctx.consumeCredentials, true);
  });
});
