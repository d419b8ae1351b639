import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signedRoute, sipRequest, testContext, testIdentity } from "../testing/unit-support.js";
import { looseRoute, recordRoute } from "./steps-routing.js";

const identity = testIdentity();
const IN_DIALOG = "To: <sip:bob@example.com>;tag=t";

describe("record_route", () => {
  it("records the route of dialog-initiating requests other than REGISTER", () => {
    const invite = testContext(sipRequest("INVITE", "sip:bob@example.com"));
    recordRoute(invite);
    assert.equal(invite.recordRoute, true);
    const register = testContext(sipRequest("REGISTER", "sip:example.com"));
    recordRoute(register);
    assert.equal(register.recordRoute, false);
    const bye = testContext(
      sipRequest("BYE", "sip:bob@10.0.0.5", ["To: <sip:bob@example.com>;tag=t"]),
    );
    recordRoute(bye);
    assert.equal(bye.recordRoute, false);
  });
});

describe("loose_route (RFC 3261 §16.4)", () => {
  it("MUST remove a topmost Route naming this proxy and follow the rest", () => {
    const ctx = testContext(
      sipRequest("BYE", "sip:bob@10.0.0.5", [
        IN_DIALOG,
        `Route: ${signedRoute()}, <sip:proxy2.example.org;lr>`,
      ]),
    );
    assert.equal(looseRoute(ctx, identity), "relay");
    assert.deepEqual(
      ctx.routes.map((route) => route.uriText),
      ["sip:proxy2.example.org;lr"],
    );
    assert.equal(ctx.routesChanged, true);
  });

  it("relays to the Request-URI once our Route is removed and the target is elsewhere", () => {
    const ctx = testContext(
      sipRequest("BYE", "sip:bob@10.0.0.5", [IN_DIALOG, `Route: ${signedRoute()}`]),
    );
    assert.equal(looseRoute(ctx, identity), "relay");
    assert.equal(ctx.routes.length, 0);
  });

  it("continues when the Route names this proxy and the Request-URI is ours too", () => {
    const ctx = testContext(
      sipRequest("INVITE", "sip:bob@example.com", ["Route: <sip:192.0.2.1;lr>"]),
    );
    assert.equal(looseRoute(ctx, identity), "continue");
    assert.equal(ctx.routes.length, 0, "our Route is gone all the same");
  });

  it("leaves a request without our Route alone", () => {
    const ctx = testContext(
      sipRequest("INVITE", "sip:bob@example.org", ["Route: <sip:other.example;lr>"]),
    );
    assert.equal(looseRoute(ctx, identity), "continue");
    assert.equal(ctx.routesChanged, false);
  });

  it("MUST take the last Route as Request-URI after a strict router sent us our Record-Route", () => {
    const ownUri = signedRoute().slice(1, -1);
    const ctx = testContext(
      sipRequest("BYE", ownUri, [
        IN_DIALOG,
        "Route: <sip:proxy2.example.org;lr>, <sip:bob@10.0.0.5>",
      ]),
    );
    assert.equal(looseRoute(ctx, identity), "relay");
    assert.equal(ctx.uriText, "sip:bob@10.0.0.5");
    assert.deepEqual(
      ctx.routes.map((route) => route.uriText),
      ["sip:proxy2.example.org;lr"],
    );
  });

  it("MUST NOT follow an in-dialog Route naming this proxy without our signature for the dialog", () => {
    for (const route of [
      "<sip:192.0.2.1:5060;lr>",
      "<sip:192.0.2.1:5060;lr;sbd=AAAAAAAAAAAAAAAA>",
      signedRoute("another-call@198.51.100.7"),
    ]) {
      const ctx = testContext(
        sipRequest("INVITE", "sip:victim@foreign.example", [IN_DIALOG, `Route: ${route}`]),
      );
      assert.equal(looseRoute(ctx, identity), "forged", route);
      assert.equal(ctx.routesChanged, false, "the Route set is left as it came");
    }
  });

  it("MUST NOT strict-route an in-dialog request whose Request-URI is our unsigned Record-Route", () => {
    const ctx = testContext(
      sipRequest("BYE", "sip:192.0.2.1;lr", [IN_DIALOG, "Route: <sip:victim@foreign.example>"]),
    );
    assert.equal(looseRoute(ctx, identity), "forged");
    assert.equal(ctx.uriText, "sip:192.0.2.1;lr");
  });
});
