import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseNameAddr, parseUri, parseVia } from "@switchboard/sip";
import { LocalIdentity } from "./local-identity.js";
import { TEST_ROUTE_SECRET, testIdentity } from "./testing/unit-support.js";

const identity = testIdentity();
const myself = (uri: string) => identity.isMyself(parseUri(uri));

describe("LocalIdentity (SER's myself)", () => {
  it("is myself for served domains, in any letter case", () => {
    assert.equal(myself("sip:1000@example.com"), true);
    assert.equal(myself("sip:1000@EXAMPLE.NET"), true);
  });

  it("is myself for the advertised address and, when listening on all, loopback", () => {
    assert.equal(myself("sip:1000@192.0.2.1"), true);
    assert.equal(myself("sip:1000@127.0.0.1"), true);
    assert.equal(myself("sip:localhost"), true);
  });

  it("is not myself on another port, another host or another scheme", () => {
    assert.equal(myself("sip:1000@example.com:5070"), false);
    assert.equal(myself("sip:1000@example.org"), false);
    assert.equal(myself("tel:+15551234"), false);
  });

  it("accepts the port we listen on", () => {
    assert.equal(myself("sip:1000@example.com:5060"), true);
  });

  it("does not take loopback for us when listening on a specific address", () => {
    const specific = new LocalIdentity({
      listenHost: "192.0.2.1",
      listenPort: 5060,
      advertisedHost: "192.0.2.1",
      advertisedPort: 5060,
      domains: ["example.com"],
      fullLr: false,
      routeSecret: TEST_ROUTE_SECRET,
    });
    assert.equal(specific.isMyself(parseUri("sip:1000@127.0.0.1")), false);
  });

  it("gives the host as canonical domain when it is served, else the default domain", () => {
    assert.equal(identity.canonicalDomain(parseUri("sip:1000@Example.NET")), "example.net");
    assert.equal(identity.canonicalDomain(parseUri("sip:1000@127.0.0.1")), "example.com");
    assert.equal(identity.canonicalDomain(parseUri("sip:1000@example.org")), undefined);
  });

  it("writes `;lr` in Record-Route, or `;lr=on` with full lr, signed for the dialog", () => {
    assert.match(identity.recordRoute("c1"), /^<sip:192\.0\.2\.1:5060;lr;sbd=[0-9a-f]{24}>$/);
    const full = new LocalIdentity({
      listenHost: "::",
      listenPort: 5060,
      advertisedHost: "2001:db8::1",
      advertisedPort: 5080,
      domains: ["example.com"],
      fullLr: true,
      routeSecret: "another-secret",
    });
    assert.match(full.recordRoute("c1"), /^<sip:\[2001:db8::1\]:5080;lr=on;sbd=[0-9a-f]{24}>$/);
  });

  it("MUST accept its Record-Route as a signed Route only for the dialog it was written for", () => {
    const route = parseNameAddr(identity.recordRoute("dialog-a@host")).uri;
    assert.equal(identity.isSignedRoute(route, "dialog-a@host"), true);
    assert.equal(identity.isSignedRoute(route, "dialog-b@host"), false);
    assert.equal(identity.isSignedRoute(parseUri("sip:192.0.2.1:5060;lr"), "dialog-a@host"), false);
  });

  it("recognises its own Via by sent-by", () => {
    assert.equal(identity.isOwnVia(parseVia("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKx")), true);
    assert.equal(identity.isOwnVia(parseVia("SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKx")), true);
    assert.equal(identity.isOwnVia(parseVia("SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bKx")), false);
  });
});
