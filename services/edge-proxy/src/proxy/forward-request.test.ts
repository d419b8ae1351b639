import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createVia, getRoutes } from "@switchboard/sip";
import { signedRoute, sipRequest, testContext } from "../testing/unit-support.js";
import { forwardedCopy } from "./forward-request.js";

const via = createVia({ transport: "UDP", host: "192.0.2.1", port: 5060, branch: "z9hG4bKsbtest" });
const RECORD_ROUTE = signedRoute();
const credentials =
  'Digest username="alice", realm="example.com", nonce="n", uri="sip:bob@example.com", response="r"';
const otherRealm =
  'Digest username="alice", realm="carrier.example", nonce="m", uri="sip:bob@example.com", response="s"';

describe("forwardedCopy (RFC 3261 §16.6)", () => {
  it("MUST put the target in the Request-URI, its Via on top, and Record-Route when asked", () => {
    const ctx = testContext(sipRequest("INVITE", "sip:bob@example.com"));
    ctx.recordRoute = true;
    const { request, nextHop } = forwardedCopy(
      ctx,
      { uri: "sip:bob@203.0.113.5:5062" },
      via,
      RECORD_ROUTE,
    );
    assert.equal(request.uriText, "sip:bob@203.0.113.5:5062");
    assert.equal(request.vias.length, 2);
    assert.equal(request.vias[0]?.branch, "z9hG4bKsbtest");
    assert.equal(request.header("Record-Route"), RECORD_ROUTE);
    assert.ok("uri" in nextHop && nextHop.uri.host === "203.0.113.5" && nextHop.uri.port === 5062);
  });

  it("MUST write the Max-Forwards the script decided", () => {
    const ctx = testContext(sipRequest("INVITE", "sip:bob@example.com", ["Max-Forwards: 5"]));
    ctx.maxForwards = 4;
    assert.equal(forwardedCopy(ctx, { uri: ctx.uriText }, via, undefined).request.maxForwards, 4);
    ctx.maxForwards = 10;
    const clamped = sipRequest("INVITE", "sip:bob@example.com", ["Max-Forwards: 70"]);
    const clampedCtx = testContext(clamped);
    clampedCtx.maxForwards = 10;
    assert.equal(
      forwardedCopy(clampedCtx, { uri: clampedCtx.uriText }, via, undefined).request.maxForwards,
      10,
    );
  });

  it("MUST remove the credentials it consumed and keep those of other realms (§22.3)", () => {
    const request = sipRequest("INVITE", "sip:bob@example.com", [
      `Proxy-Authorization: ${credentials}`,
      `Proxy-Authorization: ${otherRealm}`,
    ]);
    const ctx = testContext(request);
    ctx.credentials = { header: "Proxy-Authorization", value: credentials };
    ctx.consumeCredentials = true;
    const copy = forwardedCopy(ctx, { uri: ctx.uriText }, via, undefined).request;
    assert.deepEqual(copy.headerValues("Proxy-Authorization"), [otherRealm]);
  });

  it("MUST push a registration's Path as Route and send to its first value (RFC 3327)", () => {
    const ctx = testContext(sipRequest("INVITE", "sip:bob@example.com"));
    const target = { uri: "sip:bob@10.0.0.5", path: ["<sip:edge.example.net;lr>"] };
    const { request, nextHop } = forwardedCopy(ctx, target, via, undefined);
    assert.deepEqual(request.headerValues("Route"), ["<sip:edge.example.net;lr>"]);
    assert.ok("uri" in nextHop && nextHop.uri.host === "edge.example.net");
  });

  it("sends to the registration's received address when there is no Route", () => {
    const ctx = testContext(sipRequest("INVITE", "sip:bob@example.com"));
    const received = { transport: "UDP" as const, host: "203.0.113.5", port: 40000 };
    const { nextHop } = forwardedCopy(ctx, { uri: "sip:bob@10.0.0.5", received }, via, undefined);
    assert.deepEqual(nextHop, { address: received });
  });

  it("MUST write the Route set loose_route left and send to its first value", () => {
    const request = sipRequest("BYE", "sip:bob@10.0.0.5", [
      "Route: <sip:192.0.2.1:5060;lr>, <sip:proxy2.example.org;lr>",
      "To: <sip:bob@example.com>;tag=t",
    ]);
    const ctx = testContext(request);
    ctx.setRoutes(ctx.routes.slice(1));
    const { request: copy, nextHop } = forwardedCopy(ctx, { uri: ctx.uriText }, via, undefined);
    assert.deepEqual(
      getRoutes(copy).map((route) => route.uriText),
      ["sip:proxy2.example.org;lr"],
    );
    assert.ok("uri" in nextHop && nextHop.uri.host === "proxy2.example.org");
  });

  it("MUST use a strict router's Route as Request-URI and move the target to the end (§16.6 step 7)", () => {
    const request = sipRequest("BYE", "sip:bob@10.0.0.5", ["Route: <sip:strict.example.org>"]);
    const ctx = testContext(request);
    const { request: copy, nextHop } = forwardedCopy(ctx, { uri: ctx.uriText }, via, undefined);
    assert.equal(copy.uriText, "sip:strict.example.org");
    assert.deepEqual(copy.headerValues("Route"), ["<sip:bob@10.0.0.5>"]);
    assert.ok("uri" in nextHop && nextHop.uri.host === "strict.example.org");
  });

  it("leaves the body and the fields it does not edit byte for byte", () => {
    const request = sipRequest(
      "INVITE",
      "sip:bob@example.com",
      ["X-Custom:  odd   spacing"],
      "v=0\r\n",
    );
    const copy = forwardedCopy(
      testContext(request),
      { uri: request.uriText },
      via,
      undefined,
    ).request;
    assert.ok(copy.toBuffer().toString("latin1").includes("X-Custom:  odd   spacing\r\n"));
    assert.equal(copy.body.toString("latin1"), "v=0\r\n");
  });
});
