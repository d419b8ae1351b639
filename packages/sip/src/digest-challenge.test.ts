import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  buildDigestChallenge,
  buildDigestChallenges,
  parseDigestChallenge,
} from "./digest-challenge.js";
import { DigestParseError, type DigestParseErrorCode } from "./digest-error.js";

function assertParseError(headerValue: string, code: DigestParseErrorCode): void {
  assert.throws(
    () => parseDigestChallenge(headerValue),
    (error) => error instanceof DigestParseError && error.code === code,
    `expected ${code} for ${JSON.stringify(headerValue)}`,
  );
}

describe("buildDigestChallenge", () => {
  it("writes realm, nonce, algorithm and qop=auth by default", () => {
    assert.equal(
      buildDigestChallenge({ realm: "atlanta.com", nonce: "abc123" }),
      'Digest realm="atlanta.com", nonce="abc123", algorithm=MD5, qop="auth"',
    );
  });

  it("writes opaque, the chosen algorithm, both qop options and stale=true", () => {
    assert.equal(
      buildDigestChallenge({
        realm: "atlanta.com",
        nonce: "abc123",
        opaque: "op",
        algorithm: "SHA-256",
        qop: ["auth", "auth-int"],
        stale: true,
      }),
      'Digest realm="atlanta.com", nonce="abc123", opaque="op", algorithm=SHA-256, ' +
        'qop="auth,auth-int", stale=true',
    );
  });

  it("omits qop for an RFC 2069-style challenge and stale when false", () => {
    assert.equal(
      buildDigestChallenge({ realm: "r", nonce: "n", qop: [], stale: false }),
      'Digest realm="r", nonce="n", algorithm=MD5',
    );
  });

  it("escapes quotes in the realm so it reads back unchanged", () => {
    const header = buildDigestChallenge({ realm: 'the "main" realm', nonce: "n" });
    assert.equal(parseDigestChallenge(header).realm, 'the "main" realm');
  });

  it("MUST NOT let a value with CR or LF split the header", () => {
    assert.throws(
      () => buildDigestChallenge({ realm: "r\r\nContact: <sip:evil>", nonce: "n" }),
      RangeError,
    );
  });
});

describe("buildDigestChallenges", () => {
  it("writes one challenge per algorithm, in the order given (RFC 8760 §2)", () => {
    const headers = buildDigestChallenges({ realm: "r", nonce: "n", opaque: "o" }, [
      "MD5",
      "SHA-256",
    ]);
    assert.deepEqual(headers, [
      'Digest realm="r", nonce="n", opaque="o", algorithm=MD5, qop="auth"',
      'Digest realm="r", nonce="n", opaque="o", algorithm=SHA-256, qop="auth"',
    ]);
  });

  it("refuses an empty list of algorithms", () => {
    assert.throws(() => buildDigestChallenges({ realm: "r", nonce: "n" }, []), RangeError);
  });
});

describe("parseDigestChallenge", () => {
  it("reads the RFC 2617 §3.5 challenge", () => {
    const challenge = parseDigestChallenge(`Digest
                 realm="testrealm@host.com",
                 qop="auth,auth-int",
                 nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093",
                 opaque="5ccc069c403ebaf9f0171e9517f40e41"`);
    assert.deepEqual(challenge, {
      realm: "testrealm@host.com",
      nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
      algorithm: "MD5",
      qop: ["auth", "auth-int"],
      opaque: "5ccc069c403ebaf9f0171e9517f40e41",
      stale: false,
      params: new Map(),
    });
  });

  it("reads the RFC 7616 §3.9.1 SHA-256 challenge, spaces in the qop list included", () => {
    const challenge = parseDigestChallenge(
      'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, ' +
        'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", ' +
        'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    );
    assert.equal(challenge.algorithm, "SHA-256");
    assert.deepEqual(challenge.qop, ["auth", "auth-int"]);
  });

  it("reads stale=TRUE case-insensitively and anything else as false (RFC 2617 §3.2.1)", () => {
    assert.equal(parseDigestChallenge('Digest realm="r", nonce="n", stale=TRUE').stale, true);
    assert.equal(parseDigestChallenge('Digest realm="r", nonce="n", stale="true"').stale, true);
    assert.equal(parseDigestChallenge('Digest realm="r", nonce="n", stale=FALSE').stale, false);
    assert.equal(parseDigestChallenge('Digest realm="r", nonce="n", stale=yes').stale, false);
  });

  it("MUST ignore unrecognized qop options (RFC 2617 §3.2.1)", () => {
    const challenge = parseDigestChallenge('Digest realm="r", nonce="n", qop="auth-conf, AUTH"');
    assert.deepEqual(challenge.qop, ["auth"]);
  });

  it("reports a qop list with no supported option", () => {
    assertParseError('Digest realm="r", nonce="n", qop="auth-conf"', "unsupported-qop");
  });

  it("offers no qop when the parameter is absent", () => {
    assert.deepEqual(parseDigestChallenge('Digest realm="r", nonce="n"').qop, []);
  });

  it("keeps unknown parameters such as domain and charset", () => {
    const challenge = parseDigestChallenge(
      'Digest realm="r", nonce="n", domain="sip:a sip:b", charset=UTF-8, userhash=false',
    );
    assert.deepEqual(
      challenge.params,
      new Map([
        ["domain", "sip:a sip:b"],
        ["charset", "UTF-8"],
      ]),
    );
  });

  it("reports a missing realm or nonce, an unknown algorithm, userhash and other schemes", () => {
    assertParseError('Digest nonce="n"', "missing-parameter");
    assertParseError('Digest realm="r"', "missing-parameter");
    assertParseError('Digest realm="r", nonce="n", algorithm=SHA-512-256', "unsupported-algorithm");
    assertParseError('Digest realm="r", nonce="n", userhash=true', "unsupported-userhash");
    assertParseError('Basic realm="r"', "not-digest");
    assertParseError('Digest realm="r", nonce="n", Basic realm="x"', "malformed");
  });
});
