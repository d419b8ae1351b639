import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  computeDigestResponse,
  computeHa1,
  computeHa2,
  type DigestResponseInput,
  digestHexLength,
  verifyDigestResponse,
} from "./digest-compute.js";
import type { DigestCredentials } from "./digest-credentials.js";

// RFC 7616 §3.9.1 (note the lower-case "of" in the password, unlike RFC 2617).
const RFC7616 = {
  username: "Mufasa",
  password: "Circle of Life",
  realm: "http-auth@example.org",
  method: "GET",
  uri: "/dir/index.html",
  nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
  cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
  nc: "00000001",
  qop: "auth",
} as const;

// RFC 2617 §3.5.
const RFC2617 = {
  username: "Mufasa",
  password: "Circle Of Life",
  realm: "testrealm@host.com",
  method: "GET",
  uri: "/dir/index.html",
  nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
  cnonce: "0a4f113b",
  nc: "00000001",
  qop: "auth",
} as const;

// A SIP INVITE with a body, for qop=auth-int. Expected values were worked out
// independently with md5sum/sha256sum over the same strings.
const SDP = "v=0\r\no=alice 1 1 IN IP4 192.0.2.1\r\n";
const INVITE = {
  method: "INVITE",
  uri: "sip:bob@biloxi.com",
  nonce: "84a4cc6f3082121f32b42a2187831a9e",
  cnonce: "0a4f113b",
  nc: "00000002",
  qop: "auth-int",
  body: SDP,
} as const;

function credentialsFor(input: DigestResponseInput, response: string): DigestCredentials {
  return {
    username: "alice",
    realm: "atlanta.com",
    nonce: input.nonce,
    uri: input.uri,
    response,
    algorithm: input.algorithm,
    cnonce: input.cnonce,
    opaque: undefined,
    qop: input.qop,
    nc: input.nc,
    nonceCount: input.nc === undefined ? undefined : Number.parseInt(input.nc, 16),
    params: new Map(),
  };
}

describe("computeDigestResponse", () => {
  it("reproduces the RFC 2617 §3.5 response", () => {
    const ha1 = computeHa1("MD5", RFC2617.username, RFC2617.realm, RFC2617.password);
    const response = computeDigestResponse({ ...RFC2617, algorithm: "MD5", ha1 });
    assert.equal(response, "6629fae49393a05397450978507c4ef1");
  });

  it("reproduces the RFC 7616 §3.9.1 MD5 response", () => {
    const ha1 = computeHa1("MD5", RFC7616.username, RFC7616.realm, RFC7616.password);
    const response = computeDigestResponse({ ...RFC7616, algorithm: "MD5", ha1 });
    assert.equal(response, "8ca523f5e9506fed4657c9700eebdbec");
  });

  it("reproduces the RFC 7616 §3.9.1 SHA-256 response", () => {
    const ha1 = computeHa1("SHA-256", RFC7616.username, RFC7616.realm, RFC7616.password);
    const response = computeDigestResponse({ ...RFC7616, algorithm: "SHA-256", ha1 });
    assert.equal(response, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
  });

  it("derives the -sess HA1 as H(HA1:nonce:cnonce) from the stored HA1 (RFC 7616 §3.4.2)", () => {
    const md5 = computeHa1("MD5", RFC7616.username, RFC7616.realm, RFC7616.password);
    const sha = computeHa1("SHA-256", RFC7616.username, RFC7616.realm, RFC7616.password);
    assert.equal(
      computeDigestResponse({ ...RFC7616, algorithm: "MD5-sess", ha1: md5 }),
      "e783283f46242139c486a698fec7211d",
    );
    assert.equal(
      computeDigestResponse({ ...RFC7616, algorithm: "SHA-256-sess", ha1: sha }),
      "2fd51b3a77ad75bad6afad6003e818d767133c46d9e2749e7f5232ae1ea3efd7",
    );
  });

  it("hashes the body into HA2 for qop=auth-int (RFC 2617 §3.2.2.3)", () => {
    const md5 = computeHa1("MD5", "alice", "atlanta.com", "secret");
    const sha = computeHa1("SHA-256", "alice", "atlanta.com", "secret");
    assert.equal(
      computeDigestResponse({ ...INVITE, algorithm: "MD5", ha1: md5 }),
      "c8b1c8d0fb5b74c38df6f2ce21afb821",
    );
    assert.equal(
      computeDigestResponse({ ...INVITE, algorithm: "SHA-256", ha1: sha }),
      "788dd125f6797b39b15cde884399d27cb6aaa6c2129a9181bc347e3f6d05fe22",
    );
  });

  it("hashes a body given as bytes the same as the same text", () => {
    const ha1 = computeHa1("MD5", "alice", "atlanta.com", "secret");
    const bytes = new TextEncoder().encode(SDP);
    assert.equal(
      computeDigestResponse({ ...INVITE, algorithm: "MD5", ha1, body: bytes }),
      "c8b1c8d0fb5b74c38df6f2ce21afb821",
    );
  });

  it('uses H("") for qop=auth-int without a body (RFC 3261 §22.4)', () => {
    const ha1 = computeHa1("MD5", "alice", "atlanta.com", "secret");
    const input = {
      algorithm: "MD5",
      ha1,
      method: "REGISTER",
      uri: "sip:atlanta.com",
      nonce: INVITE.nonce,
      cnonce: INVITE.cnonce,
      nc: "00000001",
      qop: "auth-int",
    } as const;
    assert.equal(computeDigestResponse(input), "bbd2d980d50423435ea7572625a72211");
    assert.equal(computeDigestResponse({ ...input, body: "" }), "bbd2d980d50423435ea7572625a72211");
  });

  it("computes H(HA1:nonce:HA2) without qop (RFC 2617 §3.2.2.1, RFC 2069 compatibility)", () => {
    const ha1 = computeHa1("MD5", RFC2617.username, RFC2617.realm, RFC2617.password);
    const { qop: _qop, nc: _nc, cnonce: _cnonce, ...withoutQop } = RFC2617;
    assert.equal(
      computeDigestResponse({ ...withoutQop, algorithm: "MD5", ha1 }),
      "670fd8c2df070c60b045671b8b24ff02",
    );
  });

  it("ignores the body unless qop is auth-int", () => {
    assert.equal(
      computeHa2("MD5", "GET", "/dir/index.html", "auth", "ignored"),
      computeHa2("MD5", "GET", "/dir/index.html", undefined),
    );
  });

  it("refuses to compute qop or -sess responses without nc and cnonce", () => {
    const ha1 = computeHa1("MD5", "u", "r", "p");
    const base = { ha1, method: "GET", uri: "/", nonce: "n" } as const;
    assert.throws(
      () => computeDigestResponse({ ...base, algorithm: "MD5", qop: "auth" }),
      RangeError,
    );
    assert.throws(() => computeDigestResponse({ ...base, algorithm: "MD5-sess" }), RangeError);
  });

  it("produces lower-case hex of 32 (MD5) or 64 (SHA-256) digits", () => {
    for (const algorithm of ["MD5", "MD5-sess", "SHA-256", "SHA-256-sess"] as const) {
      const ha1 = computeHa1(algorithm, "u", "r", "p");
      assert.equal(ha1.length, digestHexLength(algorithm));
      const response = computeDigestResponse({
        ...RFC7616,
        algorithm,
        ha1,
      });
      assert.match(response, new RegExp(`^[0-9a-f]{${digestHexLength(algorithm)}}$`));
    }
  });
});

describe("verifyDigestResponse", () => {
  const md5Ha1 = computeHa1("MD5", RFC7616.username, RFC7616.realm, RFC7616.password);
  const shaHa1 = computeHa1("SHA-256", RFC7616.username, RFC7616.realm, RFC7616.password);
  const md5: DigestResponseInput = { ...RFC7616, algorithm: "MD5", ha1: md5Ha1 };
  const sha: DigestResponseInput = { ...RFC7616, algorithm: "SHA-256", ha1: shaHa1 };
  const md5Response = "8ca523f5e9506fed4657c9700eebdbec";
  const shaResponse = "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1";

  it("accepts the RFC 7616 responses given the stored HA1", () => {
    assert.equal(verifyDigestResponse(credentialsFor(md5, md5Response), md5), true);
    assert.equal(verifyDigestResponse(credentialsFor(sha, shaResponse), sha), true);
  });

  it("accepts a response written in upper-case hex", () => {
    const credentials = credentialsFor(md5, md5Response.toUpperCase());
    assert.equal(verifyDigestResponse(credentials, md5), true);
  });

  it("accepts a stored HA1 written in upper-case hex", () => {
    const credentials = credentialsFor(md5, md5Response);
    assert.equal(verifyDigestResponse(credentials, { ...md5, ha1: md5Ha1.toUpperCase() }), true);
  });

  it("rejects a response one digit off", () => {
    const wrong = `${md5Response.slice(0, -1)}d`;
    assert.equal(verifyDigestResponse(credentialsFor(md5, wrong), md5), false);
  });

  it("returns false, without throwing, for responses of the wrong length", () => {
    for (const response of [
      "",
      md5Response.slice(0, -1),
      `${md5Response}0`,
      shaResponse,
      "é".repeat(16),
      "\u{1F600}".repeat(8),
    ]) {
      assert.equal(verifyDigestResponse(credentialsFor(md5, response), md5), false, response);
    }
    assert.equal(verifyDigestResponse(credentialsFor(sha, md5Response), sha), false);
  });

  it("returns false for a stored HA1 of another algorithm", () => {
    assert.equal(
      verifyDigestResponse(credentialsFor(sha, shaResponse), { ...sha, ha1: md5Ha1 }),
      false,
    );
  });

  it("rejects the right response presented for another method or password", () => {
    const credentials = credentialsFor(md5, md5Response);
    assert.equal(verifyDigestResponse(credentials, { ...md5, method: "POST" }), false);
    const otherHa1 = computeHa1("MD5", RFC7616.username, RFC7616.realm, "Circle Of Life");
    assert.equal(verifyDigestResponse(credentials, { ...md5, ha1: otherHa1 }), false);
  });

  it("checks the body for qop=auth-int", () => {
    const ha1 = computeHa1("MD5", "alice", "atlanta.com", "secret");
    const input: DigestResponseInput = { ...INVITE, algorithm: "MD5", ha1 };
    const credentials = credentialsFor(input, "c8b1c8d0fb5b74c38df6f2ce21afb821");
    assert.equal(verifyDigestResponse(credentials, { method: "INVITE", ha1, body: SDP }), true);
    const tampered = SDP.replace("192.0.2.1", "192.0.2.66");
    assert.equal(
      verifyDigestResponse(credentials, { method: "INVITE", ha1, body: tampered }),
      false,
    );
  });
});
