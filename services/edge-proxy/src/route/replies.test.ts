import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RpcNoRespondersError, RpcTimeoutError } from "@switchboard/kit";
import { SipParseError } from "@switchboard/sip";
import { sipRequest } from "../testing/unit-support.js";
import { UpstreamError } from "../upstream.js";
import { REPLIES } from "./replies.js";
import { slReplyError, slSendReply } from "./sl-reply.js";

describe("the reply table", () => {
  it("gives every outcome a valid status and a reason phrase", () => {
    for (const [outcome, { status, reason }] of Object.entries(REPLIES)) {
      assert.ok(Number.isInteger(status) && status >= 100 && status <= 699, outcome);
      assert.ok(reason.length > 0 && !/[\r\n]/.test(reason), outcome);
    }
  });

  it("answers as the RFCs ask where the seed differs (407 for proxies, 403 for check_to)", () => {
    assert.equal(REPLIES["proxy-authentication-required"].status, 407);
    assert.equal(REPLIES["to-mismatch"].status, 403);
    assert.deepEqual(REPLIES["from-mismatch"], { status: 403, reason: "Use From=ID" });
    assert.deepEqual(REPLIES["user-not-found"], { status: 404, reason: "User Not Found" });
  });
});

describe("sl_send_reply", () => {
  it("builds the response from the table, with extra headers and a reason override", () => {
    const request = sipRequest("REGISTER", "sip:example.com");
    const response = slSendReply(request, {
      outcome: "interval-too-brief",
      headers: [{ name: "Min-Expires", value: "60" }],
    });
    assert.equal(response.status, 423);
    assert.equal(response.reason, "Interval Too Brief");
    assert.equal(response.header("Min-Expires"), "60");
    assert.equal(
      slSendReply(request, { outcome: "invalid-register", reason: "Bad q" }).reason,
      "Bad q",
    );
  });
});

describe("sl_reply_error", () => {
  const cause = new Error("underlying");

  it("MUST answer 503 with Retry-After when auth or location is away", () => {
    for (const error of [
      new UpstreamError("auth.v1.verify", "timeout", { cause: new RpcTimeoutError("s", 1000) }),
      new UpstreamError("auth.v1.verify", "no-responders", {
        cause: new RpcNoRespondersError("s"),
      }),
      new UpstreamError("location.v1.save", "unavailable", { cause }),
    ]) {
      assert.deepEqual(slReplyError(error, 5), {
        outcome: "upstream-unavailable",
        headers: [{ name: "Retry-After", value: "5" }],
      });
    }
  });

  it("answers 400 for a value the contracts refuse, 500 for a broken dependency or a bug", () => {
    const invalid = new UpstreamError("location.v1.save", "invalid-request", { cause });
    assert.equal(slReplyError(invalid, 5).outcome, "bad-request");
    const broken = new UpstreamError("location.v1.save", "invalid-reply", { cause });
    assert.equal(slReplyError(broken, 5).outcome, "internal-error");
    assert.equal(slReplyError(new TypeError("bug"), 5).outcome, "internal-error");
  });

  it("answers 400 with the parser's reason for a header read late", () => {
    assert.deepEqual(slReplyError(new SipParseError("Bad Contact"), 5), {
      outcome: "bad-request",
      reason: "Bad Contact",
    });
  });
});
