import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeUpstream, sipRequest, testContext, testRouteDeps } from "../testing/unit-support.js";
import { lookupAliases, lookupLocation, tRelay } from "./steps-location.js";

describe('lookup("aliases")', () => {
  it("rewrites the Request-URI to the AOR the alias stands for", async () => {
    const upstream = new FakeUpstream();
    upstream.aliasAnswer = () => ({ username: "1001", domain: "example.net" });
    const ctx = testContext(sipRequest("INVITE", "sip:2000@example.com:5060;user=phone"));
    await lookupAliases(ctx, testRouteDeps(upstream));
    assert.deepEqual(upstream.calls[0]?.request, { username: "2000", domain: "example.com" });
    assert.equal(ctx.uriText, "sip:1001@example.net;user=phone");
    assert.equal(ctx.uri.user, "1001");
  });

  it("leaves a Request-URI that is no alias, or not ours, alone", async () => {
    const upstream = new FakeUpstream();
    const ours = testContext(sipRequest("INVITE", "sip:1001@example.com"));
    await lookupAliases(ours, testRouteDeps(upstream));
    assert.equal(ours.uriText, "sip:1001@example.com");
    const foreign = testContext(sipRequest("INVITE", "sip:bob@example.org"));
    await lookupAliases(foreign, testRouteDeps(upstream));
    assert.deepEqual(
      upstream.calls.map((call) => call.method),
      ["lookup", "resolveAlias"],
      "nothing asked for a foreign domain",
    );
  });

  it('asks for the AOR\'s contacts with the alias, and lookup("location") uses them', async () => {
    const upstream = new FakeUpstream();
    upstream.lookupAnswer = () => [{ uri: "sip:1001@10.0.0.5", q: 1, expires: 60 }];
    const deps = testRouteDeps(upstream);
    const ctx = testContext(sipRequest("INVITE", "sip:1001@example.com"));
    await lookupAliases(ctx, deps);
    const result = await lookupLocation(ctx, deps);
    assert.deepEqual(
      upstream.calls.map((call) => call.method),
      ["lookup", "resolveAlias"],
    );
    assert.ok(result.action === "relay" && result.targets[0]?.uri === "sip:1001@10.0.0.5");
  });

  it("asks again for the contacts of the AOR an alias stands for", async () => {
    const upstream = new FakeUpstream();
    upstream.aliasAnswer = () => ({ username: "1001", domain: "example.com" });
    upstream.lookupAnswer = (aor) =>
      aor.username === "1001" ? [{ uri: "sip:1001@10.0.0.5", q: 1, expires: 60 }] : [];
    const deps = testRouteDeps(upstream);
    const ctx = testContext(sipRequest("INVITE", "sip:sales@example.com"));
    await lookupAliases(ctx, deps);
    const result = await lookupLocation(ctx, deps);
    assert.deepEqual(upstream.calls.at(-1), {
      method: "lookup",
      request: { username: "1001", domain: "example.com" },
    });
    assert.ok(result.action === "relay" && result.targets[0]?.uri === "sip:1001@10.0.0.5");
  });

  it("leaves no unhandled rejection when the contacts asked ahead are not needed", async () => {
    const upstream = new FakeUpstream();
    upstream.aliasAnswer = () => ({ username: "bob", domain: "example.org" });
    upstream.lookupAnswer = () => {
      throw new Error("location is away");
    };
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", record);
    try {
      const ctx = testContext(sipRequest("INVITE", "sip:sales@example.com"));
      await lookupAliases(ctx, testRouteDeps(upstream));
      assert.equal(ctx.uriText, "sip:bob@example.org");
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off("unhandledRejection", record);
    }
  });
});

describe('lookup("location")', () => {
  it("MUST answer 404 User Not Found when the AOR has no binding", async () => {
    const result = await lookupLocation(
      testContext(sipRequest("INVITE", "sip:1001@example.com")),
      testRouteDeps(),
    );
    assert.ok(result.action === "reply" && result.reply.outcome === "user-not-found");
  });

  it("relays to every contact, in location's order, with received and Path", async () => {
    const upstream = new FakeUpstream();
    upstream.lookupAnswer = () => [
      { uri: "sip:1001@10.0.0.5", q: 1, expires: 60, received: "udp:203.0.113.5:40000" },
      { uri: "sip:1001@10.0.0.6", q: 0.5, expires: 60, path: ["<sip:edge.example.net;lr>"] },
    ];
    const ctx = testContext(sipRequest("INVITE", "sip:1001@192.0.2.1"));
    const result = await lookupLocation(ctx, testRouteDeps(upstream));
    assert.deepEqual(upstream.calls[0]?.request, { username: "1001", domain: "example.com" });
    assert.deepEqual(result, {
      action: "relay",
      targets: [
        {
          uri: "sip:1001@10.0.0.5",
          received: { transport: "UDP", host: "203.0.113.5", port: 40000 },
          path: undefined,
        },
        { uri: "sip:1001@10.0.0.6", received: undefined, path: ["<sip:edge.example.net;lr>"] },
      ],
    });
  });
});

describe("t_relay towards the Request-URI", () => {
  it("relays to the Request-URI as it stands", () => {
    const ctx = testContext(sipRequest("INVITE", "sip:bob@example.org"));
    assert.deepEqual(tRelay(ctx), { action: "relay", targets: [{ uri: "sip:bob@example.org" }] });
  });

  it("MUST answer 416 for a scheme it cannot route without a Route (RFC 3261 §16.6 step 1)", () => {
    const result = tRelay(testContext(sipRequest("INVITE", "tel:+15551234")));
    assert.ok(result.action === "reply" && result.reply.outcome === "unsupported-uri-scheme");
  });
});
