import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AuthChallengeRequestSchema,
  AuthVerifyRequestSchema,
  AuthVerifyResponseSchema,
} from "./auth.js";

const verify = {
  authorization:
    'Digest username="1000", realm="example.com", nonce="n", uri="sip:example.com", response="r"',
  method: "REGISTER",
  realm: "example.com",
  requestUri: "sip:example.com",
};

describe("auth contracts", () => {
  it("MUST accept a challenge request for each qop offer", () => {
    for (const qop of ["none", "auth", "auth,auth-int"]) {
      const parsed = AuthChallengeRequestSchema.safeParse({
        realm: "example.com",
        qop,
        proxy: true,
      });
      assert.equal(parsed.success, true, qop);
    }
  });

  it("MUST refuse a realm that could break out of its quoted-string or header line", () => {
    for (const realm of ['ex"ample', "ex\\ample", "ex\r\nample", ""]) {
      const parsed = AuthChallengeRequestSchema.safeParse({ realm, qop: "auth", proxy: false });
      assert.equal(parsed.success, false, JSON.stringify(realm));
    }
  });

  it("MUST accept a verify request with a base64 body and refuse a body that is not base64", () => {
    assert.equal(AuthVerifyRequestSchema.safeParse({ ...verify, body: "dj0wDQo=" }).success, true);
    assert.equal(AuthVerifyRequestSchema.safeParse({ ...verify, body: "v=0\r\n" }).success, false);
  });

  it("MUST refuse a method that is not an RFC 3261 token", () => {
    assert.equal(
      AuthVerifyRequestSchema.safeParse({ ...verify, method: "REG ISTER" }).success,
      false,
    );
  });

  it("MUST tell success and each failure reason apart by `ok`", () => {
    const ok = AuthVerifyResponseSchema.parse({
      ok: true,
      username: "1000",
      domain: "example.com",
    });
    assert.deepEqual(ok, { ok: true, username: "1000", domain: "example.com" });
    const stale = AuthVerifyResponseSchema.parse({ ok: false, reason: "stale-nonce" });
    assert.equal(stale.ok === false && stale.reason, "stale-nonce");
    assert.equal(AuthVerifyResponseSchema.safeParse({ ok: false, reason: "nope" }).success, false);
    assert.equal(AuthVerifyResponseSchema.safeParse({ ok: true, username: "1000" }).success, false);
  });

  it("MUST drop unknown fields so that adding an optional field is not a breaking change", () => {
    const parsed = AuthVerifyRequestSchema.parse({ ...verify, futureField: 1 });
    assert.equal("futureField" in parsed, false);
  });
});
