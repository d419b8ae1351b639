import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock } from "@switchboard/kit/testing";
import { parseDigestChallenge } from "@switchboard/sip";
import { Challenger } from "./challenger.js";
import { NonceCodec } from "./nonce.js";

function setup(algorithms: ("MD5" | "SHA-256")[] = ["MD5"]) {
  const nonces = new NonceCodec({
    secret: "challenger-secret",
    lifetimeMs: 300_000,
    clock: new ManualClock(),
  });
  return { nonces, challenger: new Challenger({ nonces, algorithms }) };
}

describe("Challenger", () => {
  it("offers the realm, a valid fresh nonce, MD5 and qop=auth", () => {
    const { nonces, challenger } = setup();
    const { headers } = challenger.challenge({ realm: "example.com", qop: "auth", proxy: false });
    assert.equal(headers.length, 1);
    const challenge = parseDigestChallenge(headers[0] ?? "");
    assert.equal(challenge.realm, "example.com");
    assert.equal(challenge.algorithm, "MD5");
    assert.deepEqual(challenge.qop, ["auth"]);
    assert.equal(challenge.stale, false);
    assert.equal(nonces.check(challenge.nonce).status, "valid");
  });

  it("issues a new nonce for every challenge", () => {
    const { challenger } = setup();
    const nonceOf = () =>
      parseDigestChallenge(
        challenger.challenge({ realm: "r", qop: "auth", proxy: true }).headers[0] ?? "",
      ).nonce;
    assert.notEqual(nonceOf(), nonceOf());
  });

  it("offers one challenge per algorithm, MD5 first (RFC 8760 §2), each with its own nonce", () => {
    const { challenger } = setup(["MD5", "SHA-256"]);
    const { headers } = challenger.challenge({ realm: "example.com", qop: "auth", proxy: true });
    const challenges = headers.map((header) => parseDigestChallenge(header));
    assert.deepEqual(
      challenges.map((challenge) => challenge.algorithm),
      ["MD5", "SHA-256"],
    );
    assert.notEqual(challenges[0]?.nonce, challenges[1]?.nonce);
  });

  it("issues `count` challenges at once, each with nonces of its own", () => {
    const { nonces, challenger } = setup(["MD5", "SHA-256"]);
    const response = challenger.challenge({ realm: "r", qop: "auth", proxy: false, count: 3 });
    const all = [response.headers, ...(response.more ?? [])];
    assert.equal(all.length, 3);
    const nonceList = all.flat().map((header) => parseDigestChallenge(header).nonce);
    assert.equal(new Set(nonceList).size, 6);
    for (const nonce of nonceList) assert.equal(nonces.check(nonce).status, "valid");
    assert.equal(challenger.challenge({ realm: "r", qop: "auth", proxy: false }).more, undefined);
  });

  it("offers auth-int when asked, and no qop at all for RFC 2069 compatibility", () => {
    const { challenger } = setup();
    const withInt = challenger.challenge({
      realm: "example.com",
      qop: "auth,auth-int",
      proxy: false,
    });
    assert.deepEqual(parseDigestChallenge(withInt.headers[0] ?? "").qop, ["auth", "auth-int"]);
    const none = challenger.challenge({ realm: "example.com", qop: "none", proxy: false });
    assert.doesNotMatch(none.headers[0] ?? "", /qop/);
  });

  it("marks the challenge stale=true when asked (RFC 7616 §3.3)", () => {
    const { challenger } = setup();
    const { headers } = challenger.challenge({
      realm: "example.com",
      qop: "auth",
      stale: true,
      proxy: false,
    });
    assert.equal(parseDigestChallenge(headers[0] ?? "").stale, true);
  });
});
