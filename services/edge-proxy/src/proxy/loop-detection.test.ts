import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { editMessage, MAGIC_COOKIE, type SipRequest } from "@switchboard/sip";
import { sipRequest, testIdentity } from "../testing/unit-support.js";
import { branchWithLoopHash, isLooping, loopHash, loopHashOf } from "./loop-detection.js";

const identity = testIdentity();

/** `request` as this proxy forwards it, then as it comes back through another element. */
function cameBack(request: SipRequest, forwardedUri = request.uriText): SipRequest {
  const hash = loopHash(request);
  const ours = `SIP/2.0/UDP 192.0.2.1:5060;branch=${branchWithLoopHash(hash)}`;
  const forwarded = editMessage(request).setRequestUri(forwardedUri).pushVia(ours).toMessage();
  return editMessage(forwarded)
    .pushVia("SIP/2.0/UDP 203.0.113.9:5060;branch=z9hG4bKother")
    .toMessage();
}

describe("loop detection (RFC 3261 §16.3 step 4, §16.6 step 8)", () => {
  it("MUST start the branch with the magic cookie and carry the hash", () => {
    const branch = branchWithLoopHash("0123456789abcdef");
    assert.ok(branch.startsWith(MAGIC_COOKIE));
    assert.equal(loopHashOf(branch), "0123456789abcdef");
  });

  it("makes a different branch for every copy with the same hash", () => {
    assert.notEqual(branchWithLoopHash("0123456789abcdef"), branchWithLoopHash("0123456789abcdef"));
  });

  it("finds no hash in branches of other elements", () => {
    assert.equal(loopHashOf("z9hG4bK776asdhds"), undefined);
    assert.equal(loopHashOf(undefined), undefined);
  });

  it("detects a request that comes back with the fields it left with", () => {
    const request = sipRequest("INVITE", "sip:bob@203.0.113.9");
    assert.equal(isLooping(cameBack(request), identity), true);
  });

  it("MUST NOT take a spiral (a changed Request-URI) for a loop", () => {
    const request = sipRequest("INVITE", "sip:bob@example.com");
    assert.equal(isLooping(cameBack(request, "sip:bob@203.0.113.9"), identity), false);
  });

  it("treats a changed Route set as a spiral", () => {
    const request = sipRequest("INVITE", "sip:bob@203.0.113.9", ["Route: <sip:192.0.2.1;lr>"]);
    const back = editMessage(cameBack(request)).removeHeaders("Route").toMessage();
    assert.equal(isLooping(back, identity), false);
  });

  it("ignores a Via with our hash format but another element's address", () => {
    const request = sipRequest("INVITE", "sip:bob@203.0.113.9");
    const foreign = `SIP/2.0/UDP 203.0.113.50:5060;branch=${branchWithLoopHash(loopHash(request))}`;
    assert.equal(isLooping(editMessage(request).pushVia(foreign).toMessage(), identity), false);
  });

  it("hashes the same request the same way, and another Call-ID otherwise", () => {
    const request = sipRequest("INVITE", "sip:bob@203.0.113.9");
    assert.equal(loopHash(request), loopHash(sipRequest("INVITE", "sip:bob@203.0.113.9")));
    const other = sipRequest("INVITE", "sip:bob@203.0.113.9", ["Call-ID: another"]);
    assert.notEqual(loopHash(request), loopHash(other));
  });
});
