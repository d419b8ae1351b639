import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SipResponse } from "@switchboard/sip";
import { sipMessage } from "../testing/unit-support.js";
import { bestResponseIndex, mergeChallenges } from "./best-response.js";

function response(status: number, headers: readonly string[] = []): SipResponse {
  return sipMessage(`SIP/2.0 ${status} Whatever`, [
    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKsbx",
    "From: <sip:alice@example.com>;tag=a",
    "To: <sip:bob@example.com>;tag=b",
    "Call-ID: c1",
    "CSeq: 1 INVITE",
    ...headers,
  ]) as SipResponse;
}

describe("bestResponseIndex (RFC 3261 §16.7 step 6)", () => {
  const best = (statuses: number[]) => statuses[bestResponseIndex(statuses)];

  it("MUST choose a 6xx over every other class", () => {
    assert.equal(best([486, 200, 603, 302]), 603);
  });

  it("chooses a 2xx over 3xx-5xx", () => {
    assert.equal(best([404, 200, 500]), 200);
  });

  it("SHOULD choose from the lowest class when there is no 6xx or 2xx", () => {
    assert.equal(best([500, 486, 302]), 302);
    assert.equal(best([503, 480]), 480);
  });

  it("SHOULD prefer 401, 407, 415, 420 and 484 within the 4xx class", () => {
    assert.equal(best([486, 404, 407, 480]), 407);
    assert.equal(best([480, 484]), 484);
  });

  it("keeps the earliest response when several are equally good", () => {
    assert.equal(bestResponseIndex([486, 480, 404]), 0);
    assert.equal(bestResponseIndex([500, 401, 407]), 1);
  });

  it("refuses an empty response context", () => {
    assert.throws(() => bestResponseIndex([]), RangeError);
  });
});

describe("mergeChallenges (RFC 3261 §16.7 step 7)", () => {
  it("MUST add the challenges of the other 401 and 407 responses to the chosen one", () => {
    const first = response(407, ['Proxy-Authenticate: Digest realm="a.example", nonce="1"']);
    const second = response(401, ['WWW-Authenticate: Digest realm="b.example", nonce="2"']);
    const busy = response(486);
    const merged = mergeChallenges(first, [first, second, busy]);
    assert.deepEqual(merged.headerValues("Proxy-Authenticate"), [
      'Digest realm="a.example", nonce="1"',
    ]);
    assert.deepEqual(merged.headerValues("WWW-Authenticate"), [
      'Digest realm="b.example", nonce="2"',
    ]);
  });

  it("leaves a response that is not a challenge unchanged", () => {
    const busy = response(486);
    assert.equal(
      mergeChallenges(busy, [busy, response(407, ["Proxy-Authenticate: Digest x"])]),
      busy,
    );
  });
});
