import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildDigestChallenge, parseDigestChallenge } from "./digest-challenge.js";
import { buildDigestAuthorization } from "./digest-client.js";
import { computeHa1, verifyDigestResponse } from "./digest-compute.js";
import { parseDigestCredentials } from "./digest-credentials.js";
import type { DigestAlgorithm, DigestQop } from "./digest-types.js";

const RFC7616_CHALLENGE_PARAMS =
  'realm="http-auth@example.org", qop="auth, auth-int", ' +
  'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", ' +
  'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';

const RFC7616_CLIENT = {
  username: "Mufasa",
  password: "Circle of Life",
  method: "GET",
  uri: "/dir/index.html",
  cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
  nc: 1,
};

describe("buildDigestAuthorization", () => {
  it("answers the RFC 2617 §3.5 challenge with its published credentials", () => {
    const challenge = parseDigestChallenge(
      'Digest realm="testrealm@host.com", qop="auth,auth-int", ' +
        'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
    const header = buildDigestAuthorization(challenge, {
      username: "Mufasa",
      password: "Circle Of Life",
      method: "GET",
      uri: "/dir/index.html",
      cnonce: "0a4f113b",
      nc: 1,
    });
    assert.equal(
      header,
      'Digest username="Mufasa", realm="testrealm@host.com", ' +
        'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", ' +
        'response="6629fae49393a05397450978507c4ef1", algorithm=MD5, cnonce="0a4f113b", ' +
        'opaque="5ccc069c403ebaf9f0171e9517f40e41", qop=auth, nc=00000001',
    );
  });

  it("answers the RFC 7616 §3.9.1 challenges with the published MD5 and SHA-256 responses", () => {
    const expected = {
      MD5: "8ca523f5e9506fed4657c9700eebdbec",
      "SHA-256": "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
    } as const;
    for (const [algorithm, response] of Object.entries(expected)) {
      const challenge = parseDigestChallenge(
        `Digest ${RFC7616_CHALLENGE_PARAMS}, algorithm=${algorithm}`,
      );
      const credentials = parseDigestCredentials(
        buildDigestAuthorization(challenge, RFC7616_CLIENT),
      );
      assert.equal(credentials.response, response, algorithm);
      assert.equal(credentials.algorithm, algorithm);
      assert.equal(credentials.qop, "auth", "auth is preferred when both are offered");
    }
  });

  it("answers a challenge without qop RFC 2069-style: no qop, nc or cnonce", () => {
    const challenge = parseDigestChallenge(
      'Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093"',
    );
    const header = buildDigestAuthorization(challenge, {
      username: "Mufasa",
      password: "Circle Of Life",
      method: "GET",
      uri: "/dir/index.html",
    });
    const credentials = parseDigestCredentials(header);
    assert.equal(credentials.response, "670fd8c2df070c60b045671b8b24ff02");
    assert.doesNotMatch(header, /qop=|nc=|cnonce=/);
  });

  it("sends a cnonce with a -sess algorithm even without qop", () => {
    const challenge = parseDigestChallenge('Digest realm="r", nonce="n", algorithm=MD5-sess');
    const credentials = parseDigestCredentials(
      buildDigestAuthorization(challenge, { ...RFC7616_CLIENT, cnonce: "c1" }),
    );
    assert.equal(credentials.cnonce, "c1");
    assert.equal(credentials.qop, undefined);
  });

  it("uses auth-int when it is the only option, or when asked for", () => {
    const onlyInt = parseDigestChallenge('Digest realm="r", nonce="n", qop="auth-int"');
    assert.match(buildDigestAuthorization(onlyInt, RFC7616_CLIENT), /, qop=auth-int,/);
    const both = parseDigestChallenge('Digest realm="r", nonce="n", qop="auth,auth-int"');
    const asked = buildDigestAuthorization(both, { ...RFC7616_CLIENT, qop: "auth-int" });
    assert.match(asked, /, qop=auth-int,/);
  });

  it("refuses a qop the challenge does not offer", () => {
    const challenge = parseDigestChallenge('Digest realm="r", nonce="n", qop="auth"');
    assert.throws(
      () => buildDigestAuthorization(challenge, { ...RFC7616_CLIENT, qop: "auth-int" }),
      RangeError,
    );
  });

  it("writes nc as 8 lower-case hex digits and refuses counts out of range", () => {
    const challenge = parseDigestChallenge('Digest realm="r", nonce="n", qop="auth"');
    assert.match(
      buildDigestAuthorization(challenge, { ...RFC7616_CLIENT, nc: 0xab }),
      /nc=000000ab$/,
    );
    for (const nc of [0, -1, 1.5, 0x100000000, Number.NaN]) {
      assert.throws(
        () => buildDigestAuthorization(challenge, { ...RFC7616_CLIENT, nc }),
        RangeError,
      );
    }
  });

  it("makes up a fresh cnonce when none is given", () => {
    const challenge = parseDigestChallenge('Digest realm="r", nonce="n", qop="auth"');
    const { cnonce: _cnonce, ...input } = RFC7616_CLIENT;
    const first = parseDigestCredentials(buildDigestAuthorization(challenge, input)).cnonce;
    const second = parseDigestCredentials(buildDigestAuthorization(challenge, input)).cnonce;
    assert.match(first ?? "", /^[0-9a-f]{32}$/);
    assert.notEqual(first, second);
  });

  it("quotes a username holding a quote so the server reads it back", () => {
    const challenge = parseDigestChallenge('Digest realm="r", nonce="n", qop="auth"');
    const header = buildDigestAuthorization(challenge, { ...RFC7616_CLIENT, username: 'o"hara' });
    assert.equal(parseDigestCredentials(header).username, 'o"hara');
  });
});

describe("challenge → credentials → verification round trip", () => {
  const algorithms: DigestAlgorithm[] = ["MD5", "MD5-sess", "SHA-256", "SHA-256-sess"];
  const qopOptions: (readonly DigestQop[])[] = [[], ["auth"], ["auth", "auth-int"], ["auth-int"]];
  const body = "v=0\r\ns=call\r\n";

  for (const algorithm of algorithms) {
    for (const qop of qopOptions) {
      it(`verifies ${algorithm} credentials for qop="${qop.join(",")}" and rejects a wrong password`, () => {
        const challenge = parseDigestChallenge(
          buildDigestChallenge({
            realm: "atlanta.com",
            nonce: "n0/+=",
            opaque: "op",
            algorithm,
            qop,
          }),
        );
        const request = { method: "REGISTER", uri: "sip:atlanta.com", body, nc: 3 };
        const right = parseDigestCredentials(
          buildDigestAuthorization(challenge, {
            ...request,
            username: "alice",
            password: "s3cret",
          }),
        );
        const wrong = parseDigestCredentials(
          buildDigestAuthorization(challenge, {
            ...request,
            username: "alice",
            password: "s3creT",
          }),
        );
        assert.equal(right.opaque, "op");
        assert.equal(right.nonceCount, qop.length === 0 ? undefined : 3);

        const ha1 = computeHa1(algorithm, "alice", "atlanta.com", "s3cret");
        assert.equal(verifyDigestResponse(right, { method: "REGISTER", ha1, body }), true);
        assert.equal(verifyDigestResponse(wrong, { method: "REGISTER", ha1, body }), false);
      });
    }
  }
});
