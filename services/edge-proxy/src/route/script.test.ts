import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  FakeUpstream,
  signedRoute,
  sipRequest,
  testContext,
  testRouteDeps,
} from "../testing/unit-support.js";
import type { Reply, StepResult } from "./context.js";
import { mainRoute } from "./script.js";

const PROXY_CREDENTIALS =
  'Proxy-Authorization: Digest username="1000", realm="example.com", nonce="n", uri="sip:x", response="r"';

function outcome(result: StepResult): string {
  return result.action === "reply" ? result.reply.outcome : result.action;
}

function authenticating(): FakeUpstream {
  const upstream = new FakeUpstream();
  upstream.verifyAnswer = (request) => ({ ok: true, username: "1000", domain: request.realm });
  upstream.lookupAnswer = () => [{ uri: "sip:1001@10.0.0.5", q: 1, expires: 60 }];
  return upstream;
}

describe("the route script", () => {
  it("runs the sanity checks first (483 before anything else)", async () => {
    const upstream = new FakeUpstream();
    const request = sipRequest("INVITE", "sip:1001@example.com", ["Max-Forwards: 0"]);
    assert.equal(
      outcome(await mainRoute(testContext(request), testRouteDeps(upstream))),
      "too-many-hops",
    );
    assert.equal(upstream.calls.length, 0);
  });

  it("sends 100 Trying for a REGISTER before asking auth (seed note ⓬)", async () => {
    const provisional: Reply[] = [];
    const ctx = testContext(
      sipRequest("REGISTER", "sip:example.com", ["To: <sip:1000@example.com>"]),
      provisional,
    );
    assert.equal(outcome(await mainRoute(ctx, testRouteDeps())), "unauthorized");
    assert.deepEqual(provisional, [{ outcome: "trying" }]);
  });

  it("registers an authenticated REGISTER for its own AOR", async () => {
    const upstream = authenticating();
    const ctx = testContext(
      sipRequest("REGISTER", "sip:example.com", [
        "From: <sip:1000@example.com>;tag=f",
        "To: <sip:1000@example.com>",
        'Authorization: Digest username="1000", realm="example.com", nonce="n", uri="sip:example.com", response="r"',
      ]),
    );
    assert.equal(outcome(await mainRoute(ctx, testRouteDeps(upstream))), "registered");
    assert.deepEqual(
      upstream.calls.map((call) => call.method),
      ["verify", "save"],
    );
  });

  it("MUST challenge a local caller with 407 whatever the method and destination", async () => {
    for (const [method, uri] of [
      ["INVITE", "sip:1001@example.com"],
      ["MESSAGE", "sip:1001@example.com"],
      ["INVITE", "sip:bob@example.org"],
    ] as const) {
      const request = sipRequest(method, uri, ["From: <sip:1000@example.com>;tag=f"]);
      const result = await mainRoute(testContext(request), testRouteDeps());
      assert.equal(outcome(result), "proxy-authentication-required", `${method} ${uri}`);
    }
  });

  it("relays an authenticated local caller to the callee's contacts, Record-Routed, credentials consumed", async () => {
    const request = sipRequest("INVITE", "sip:1001@example.com", [
      "From: <sip:1000@example.com>;tag=f",
      PROXY_CREDENTIALS,
    ]);
    const ctx = testContext(request);
    const result = await mainRoute(ctx, testRouteDeps(authenticating()));
    assert.deepEqual(result, {
      action: "relay",
      targets: [{ uri: "sip:1001@10.0.0.5", received: undefined, path: undefined }],
    });
    assert.equal(ctx.recordRoute, true);
    assert.equal(ctx.consumeCredentials, true);
  });

  it("relays an authenticated local caller to a foreign domain as addressed", async () => {
    const request = sipRequest("INVITE", "sip:bob@example.org", [
      "From: <sip:1000@example.com>;tag=f",
      PROXY_CREDENTIALS,
    ]);
    const result = await mainRoute(testContext(request), testRouteDeps(authenticating()));
    assert.deepEqual(result, { action: "relay", targets: [{ uri: "sip:bob@example.org" }] });
  });

  it("MUST refuse a foreign caller to a foreign domain with 403 Relaying Denied", async () => {
    const request = sipRequest("INVITE", "sip:bob@example.org", [
      "From: <sip:alice@example.org>;tag=f",
    ]);
    assert.equal(
      outcome(await mainRoute(testContext(request), testRouteDeps())),
      "relaying-denied",
    );
  });

  it("treats a preloaded Route through this proxy to elsewhere like a foreign destination", async () => {
    const request = sipRequest("INVITE", "sip:1001@example.com", [
      "From: <sip:alice@example.org>;tag=f",
      "Route: <sip:192.0.2.1;lr>, <sip:gateway.example.org;lr>",
    ]);
    assert.equal(
      outcome(await mainRoute(testContext(request), testRouteDeps())),
      "relaying-denied",
    );
  });

  it("serves a foreign caller calling a local user without authentication", async () => {
    const upstream = authenticating();
    const request = sipRequest("INVITE", "sip:1001@example.com", [
      "From: <sip:alice@example.org>;tag=f",
    ]);
    assert.equal(outcome(await mainRoute(testContext(request), testRouteDeps(upstream))), "relay");
    assert.equal(upstream.calls.filter((call) => call.method === "verify").length, 0);
  });

  it("relays an in-dialog request along its Route without authentication", async () => {
    const upstream = new FakeUpstream();
    const request = sipRequest("BYE", "sip:bob@10.0.0.5", [
      "From: <sip:1000@example.com>;tag=f",
      "To: <sip:bob@example.org>;tag=t",
      `Route: ${signedRoute()}`,
    ]);
    const result = await mainRoute(testContext(request), testRouteDeps(upstream));
    assert.deepEqual(result, { action: "relay", targets: [{ uri: "sip:bob@10.0.0.5" }] });
    assert.equal(upstream.calls.length, 0);
  });

  it("MUST refuse with 403 Invalid Route an in-dialog request on a Route this proxy did not sign", async () => {
    const upstream = new FakeUpstream();
    const request = sipRequest("INVITE", "sip:victim@foreign.example", [
      "From: <sip:mallory@example.org>;tag=f",
      "To: <sip:victim@foreign.example>;tag=made-up",
      "Route: <sip:192.0.2.1;lr>",
    ]);
    const result = await mainRoute(testContext(request), testRouteDeps(upstream));
    assert.equal(outcome(result), "bad-route");
    assert.equal(upstream.calls.length, 0);
  });

  it("answers 404 Not Here to an in-dialog request that names neither our Route nor a local user", async () => {
    const request = sipRequest("BYE", "sip:bob@10.0.0.5", ["To: <sip:bob@example.org>;tag=t"]);
    assert.equal(outcome(await mainRoute(testContext(request), testRouteDeps())), "not-here");
  });

  it("answers OPTIONS to the proxy itself, from anyone, with 200 and Allow", async () => {
    const request = sipRequest("OPTIONS", "sip:example.com", [
      "From: <sip:1000@example.com>;tag=f",
    ]);
    const result = await mainRoute(testContext(request), testRouteDeps());
    assert.ok(result.action === "reply" && result.reply.outcome === "options");
    assert.ok(result.reply.headers?.some((header) => header.name === "Allow"));
  });
});
