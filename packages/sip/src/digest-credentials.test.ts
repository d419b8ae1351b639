import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseDigestCredentials } from "./digest-credentials.js";
import { DigestParseError, type DigestParseErrorCode } from "./digest-error.js";

// RFC 2617 §3.5.
const RFC2617_AUTHORIZATION = `Digest username="Mufasa",
                 realm="testrealm@host.com",
                 nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093",
                 uri="/dir/index.html",
                 qop=auth,
                 nc=00000001,
                 cnonce="0a4f113b",
                 response="6629fae49393a05397450978507c4ef1",
                 opaque="5ccc069c403ebaf9f0171e9517f40e41"`;

const MINIMAL = 'username="u", realm="r", nonce="n", uri="sip:r", response="00"';

function assertParseError(headerValue: string, code: DigestParseErrorCode, reason?: string): void {
  assert.throws(
    () => parseDigestCredentials(headerValue),
    (error) => {
      assert.ok(error instanceof DigestParseError, `expected a DigestParseError, got ${error}`);
      assert.equal(error.code, code, `code for ${JSON.stringify(headerValue)}: ${error.reason}`);
      if (reason !== undefined) assert.equal(error.reason, reason);
      return true;
    },
  );
}

describe("parseDigestCredentials", () => {
  it("reads the RFC 2617 §3.5 example", () => {
    const credentials = parseDigestCredentials(RFC2617_AUTHORIZATION);
    assert.deepEqual(credentials, {
      username: "Mufasa",
      realm: "testrealm@host.com",
      nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
      uri: "/dir/index.html",
      response: "6629fae49393a05397450978507c4ef1",
      algorithm: "MD5",
      cnonce: "0a4f113b",
      opaque: "5ccc069c403ebaf9f0171e9517f40e41",
      qop: "auth",
      nc: "00000001",
      nonceCount: 1,
      params: new Map(),
    });
  });

  it("reads the RFC 7616 §3.9.1 SHA-256 example", () => {
    const credentials = parseDigestCredentials(
      'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", ' +
        'algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, ' +
        'cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, ' +
        'response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", ' +
        'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    );
    assert.equal(credentials.algorithm, "SHA-256");
    assert.equal(credentials.cnonce, "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
    assert.equal(credentials.opaque, "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS");
  });

  it("defaults the algorithm to MD5 when absent (RFC 2617 §3.2.1)", () => {
    assert.equal(parseDigestCredentials(`Digest ${MINIMAL}`).algorithm, "MD5");
  });

  it("reads each algorithm case-insensitively into its canonical spelling", () => {
    const cases = [
      ["md5", "MD5"],
      ["Md5-SeSS", "MD5-sess"],
      ['"sha-256"', "SHA-256"],
      ["SHA-256-SESS", "SHA-256-sess"],
    ] as const;
    for (const [written, algorithm] of cases) {
      const value = `Digest ${MINIMAL}, algorithm=${written}, cnonce="c"`;
      assert.equal(parseDigestCredentials(value).algorithm, algorithm, written);
    }
  });

  it("reports any other algorithm as unsupported", () => {
    for (const algorithm of ["SHA-512-256", "SHA1", "AKAv1-MD5", "MD5-", '""']) {
      assertParseError(
        `Digest ${MINIMAL}, algorithm=${algorithm}`,
        "unsupported-algorithm",
        "unsupported algorithm",
      );
    }
  });

  it("accepts a response without qop, cnonce or nc (RFC 2069 compatibility)", () => {
    const credentials = parseDigestCredentials(`Digest ${MINIMAL}`);
    assert.equal(credentials.qop, undefined);
    assert.equal(credentials.nc, undefined);
    assert.equal(credentials.nonceCount, undefined);
    assert.equal(credentials.cnonce, undefined);
    assert.equal(credentials.opaque, undefined);
  });

  it("reports each missing required parameter by name", () => {
    for (const name of ["username", "realm", "nonce", "uri", "response"]) {
      const without = MINIMAL.split(", ")
        .filter((param) => !param.startsWith(`${name}=`))
        .join(", ");
      assertParseError(`Digest ${without}`, "missing-parameter", `missing parameter ${name}`);
    }
  });

  it("MUST require cnonce and nc when qop is present (RFC 7616 §3.4)", () => {
    assertParseError(
      `Digest ${MINIMAL}, qop=auth, nc=00000001`,
      "missing-parameter",
      "missing parameter cnonce",
    );
    assertParseError(
      `Digest ${MINIMAL}, qop=auth, cnonce="c"`,
      "missing-parameter",
      "missing parameter nc",
    );
  });

  it("requires cnonce for a -sess algorithm, which mixes it into HA1 (RFC 7616 §3.4.2)", () => {
    assertParseError(
      `Digest ${MINIMAL}, algorithm=MD5-sess`,
      "missing-parameter",
      "missing parameter cnonce",
    );
  });

  it("reads qop quoted or not, auth or auth-int, and rejects other values", () => {
    const base = `Digest ${MINIMAL}, cnonce="c", nc=00000002`;
    assert.equal(parseDigestCredentials(`${base}, qop="auth"`).qop, "auth");
    assert.equal(parseDigestCredentials(`${base}, qop=AUTH-INT`).qop, "auth-int");
    assertParseError(`${base}, qop=auth-conf`, "unsupported-qop");
    assertParseError(`${base}, qop="auth,auth-int"`, "unsupported-qop");
  });

  it("MUST take nc as exactly 8 hex digits and keep it as written", () => {
    const base = `Digest ${MINIMAL}, cnonce="c", qop=auth`;
    const credentials = parseDigestCredentials(`${base}, nc=0000001A`);
    assert.equal(credentials.nc, "0000001A", "the hash uses nc as sent");
    assert.equal(credentials.nonceCount, 26);
    assert.equal(parseDigestCredentials(`${base}, nc=ffffffff`).nonceCount, 0xffffffff);
    for (const nc of ["1", "0000001", "000000001", "0000000g", "-0000001", '" 0000001"']) {
      assertParseError(`${base}, nc=${nc}`, "invalid-parameter", "nc is not 8 hex digits");
    }
  });

  it("keeps unknown parameters, names in lower case, apart from the known ones", () => {
    const credentials = parseDigestCredentials(
      `Digest ${MINIMAL}, Auts="abc", X-Vendor=1, userhash=false`,
    );
    assert.deepEqual(
      credentials.params,
      new Map([
        ["auts", "abc"],
        ["x-vendor", "1"],
      ]),
    );
  });

  it("reports userhash=true as unsupported (RFC 7616 §3.4.4)", () => {
    assertParseError(`Digest ${MINIMAL}, userhash=TRUE`, "unsupported-userhash");
  });

  it("reports a duplicated parameter", () => {
    assertParseError(`Digest ${MINIMAL}, Response="01"`, "duplicate-parameter");
  });

  it("reports a non-Digest scheme", () => {
    assertParseError("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "not-digest");
  });

  it("never throws anything but DigestParseError on mutated credentials", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: RFC2617_AUTHORIZATION.length }),
        fc.nat({ max: 20 }),
        fc.string({ maxLength: 8 }),
        (at, cut, insert) => {
          const value =
            RFC2617_AUTHORIZATION.slice(0, at) + insert + RFC2617_AUTHORIZATION.slice(at + cut);
          try {
            parseDigestCredentials(value);
          } catch (error) {
            if (!(error instanceof DigestParseError)) throw error;
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
