import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { editMessage } from "@switchboard/sip";
import { branchWithLoopHash, loopHash } from "../proxy/loop-detection.js";
import { sipRequest, testContext, testRouteDeps } from "../testing/unit-support.js";
import { checkMessageLength, detectLoop, mfProcessMaxfwdHeader } from "./steps-sanity.js";

const deps = testRouteDeps();

describe("mf_process_maxfwd_header", () => {
  it("MUST answer 483 Too Many Hops when Max-Forwards is 0 (RFC 3261 §16.3 step 3)", () => {
    const ctx = testContext(sipRequest("INVITE", "sip:bob@example.com", ["Max-Forwards: 0"]));
    assert.deepEqual(mfProcessMaxfwdHeader(ctx, deps), {
      action: "reply",
      reply: { outcome: "too-many-hops", headers: undefined, reason: undefined },
    });
  });

  it("MUST decrement Max-Forwards for the copy (§16.6 step 3)", () => {
    const ctx = testContext(sipRequest("INVITE", "sip:bob@example.com", ["Max-Forwards: 5"]));
    assert.equal(mfProcessMaxfwdHeader(ctx, deps).action, "continue");
    assert.equal(ctx.maxForwards, 4);
  });

  it("caps the copy's Max-Forwards at MAX_FORWARDS_LIMIT", () => {
    const ctx = testContext(sipRequest("INVITE", "sip:bob@example.com", ["Max-Forwards: 70"]));
    mfProcessMaxfwdHeader(ctx, deps);
    assert.equal(ctx.maxForwards, 10);
  });

  it("adds 70, capped at the limit, when the request has none", () => {
    const request = editMessage(sipRequest("INVITE", "sip:bob@example.com"))
      .removeHeaders("Max-Forwards")
      .toMessage();
    const ctx = testContext(request);
    mfProcessMaxfwdHeader(ctx, { ...deps, maxForwardsLimit: 100 });
    assert.equal(ctx.maxForwards, 70);
  });
});

describe("msg:len > max_len", () => {
  it("answers 513 to a request longer than MAX_MESSAGE_BYTES", () => {
    const big = sipRequest("MESSAGE", "sip:bob@example.com", [], "x".repeat(5000));
    assert.equal(checkMessageLength(testContext(big), deps).action, "reply");
    const small = sipRequest("MESSAGE", "sip:bob@example.com", [], "hello");
    assert.equal(checkMessageLength(testContext(small), deps).action, "continue");
  });
});

describe("loop check", () => {
  it("MUST answer 482 Loop Detected to a request that came back unchanged (§16.3 step 4)", () => {
    const request = sipRequest("INVITE", "sip:bob@203.0.113.9");
    const ours = `SIP/2.0/UDP 192.0.2.1:5060;branch=${branchWithLoopHash(loopHash(request))}`;
    const looped = editMessage(request).pushVia(ours).toMessage();
    const result = detectLoop(testContext(looped), deps);
    assert.ok(result.action === "reply" && result.reply.outcome === "loop-detected");
    assert.equal(detectLoop(testContext(request), deps).action, "continue");
  });
});
