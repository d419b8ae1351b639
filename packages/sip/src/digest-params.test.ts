import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { DigestParseError, type DigestParseErrorCode } from "./digest-error.js";
import { formatDigestHeader, parseDigestParams, quoteString } from "./digest-params.js";

function assertParseError(headerValue: string, code: DigestParseErrorCode): DigestParseError {
  let caught: unknown;
  try {
    parseDigestParams(headerValue);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof DigestParseError, `expected a DigestParseError for ${headerValue}`);
  assert.equal(caught.name, "DigestParseError");
  assert.equal(caught.code, code, `code for ${JSON.stringify(headerValue)}: ${caught.reason}`);
  return caught;
}

describe("parseDigestParams", () => {
  it("reads quoted and unquoted values in any order", () => {
    const params = parseDigestParams('Digest qop=auth, realm="r", nc=00000001, nonce="n"');
    assert.deepEqual(
      [...params],
      [
        ["qop", "auth"],
        ["realm", "r"],
        ["nc", "00000001"],
        ["nonce", "n"],
      ],
    );
  });

  it("MUST treat the scheme and parameter names case-insensitively (RFC 7235 §2.1)", () => {
    const params = parseDigestParams('dIgEsT Realm="Example", NONCE="AbC"');
    assert.equal(params.get("realm"), "Example");
    assert.equal(params.get("nonce"), "AbC", "values keep their case");
  });

  it("unescapes quoted-pairs (RFC 3261 §25.1)", () => {
    const params = parseDigestParams(String.raw`Digest username="a\"b\\c\d"`);
    assert.equal(params.get("username"), 'a"b\\cd');
  });

  it("keeps commas, equals signs and spaces inside quoted values", () => {
    const params = parseDigestParams(
      'Digest qop="auth, auth-int", uri="sip:a@b;x=1,y", realm="a b"',
    );
    assert.equal(params.get("qop"), "auth, auth-int");
    assert.equal(params.get("uri"), "sip:a@b;x=1,y");
    assert.equal(params.get("realm"), "a b");
  });

  it("accepts whitespace around = and around commas, and folded line breaks", () => {
    const params = parseDigestParams('  Digest\trealm = "r" ,\r\n nonce\t=\tn1 ,  ');
    assert.equal(params.get("realm"), "r");
    assert.equal(params.get("nonce"), "n1");
  });

  it("ignores empty list elements (RFC 7230 §7)", () => {
    const params = parseDigestParams('Digest , realm="r",, ,nonce="n",');
    assert.deepEqual([...params.keys()], ["realm", "nonce"]);
  });

  it("accepts an empty quoted value", () => {
    assert.equal(parseDigestParams('Digest opaque=""').get("opaque"), "");
  });

  it("accepts unquoted values with URI and base64 characters", () => {
    const params = parseDigestParams("Digest uri=sip:bob@biloxi.com, nonce=YWJj+/==");
    assert.equal(params.get("uri"), "sip:bob@biloxi.com");
    assert.equal(params.get("nonce"), "YWJj+/==");
  });

  it("reports another scheme as not-digest", () => {
    assertParseError('Basic realm="r"', "not-digest");
    assertParseError("Bearer abc", "not-digest");
    assertParseError('Digestrealm="r"', "not-digest");
  });

  it("reports a repeated parameter, whatever its case, as duplicate-parameter", () => {
    const error = assertParseError('Digest realm="a", nonce="n", REALM="b"', "duplicate-parameter");
    assert.equal(error.reason, "duplicate parameter realm");
  });

  it("reports garbage as malformed", () => {
    for (const garbage of [
      "",
      "   ",
      "Digest",
      "Digest   ",
      'Digest realm="r" nonce="n"',
      "Digest realm",
      "Digest realm=",
      "Digest realm=,nonce=n",
      'Digest realm="unterminated',
      'Digest realm="ends in backslash\\',
      'Digest =value, realm="r"',
      'Digest realm="r";nonce="n"',
      'Digest realm=a"b',
      "Digest \u0000realm=r",
      '"Digest" realm="r"',
    ]) {
      assertParseError(garbage, "malformed");
    }
  });

  it("MUST NOT accept control characters such as CR or LF inside a quoted value", () => {
    assertParseError('Digest realm="a\r\nVia: x"', "malformed");
    assertParseError('Digest realm="a\\\nb"', "malformed");
    assertParseError('Digest realm="a\u007fb"', "malformed");
  });

  it("keeps input text out of the error reason, naming only the parameter", () => {
    const error = assertParseError('Digest realm="secret-ish\r"', "malformed");
    assert.equal(error.reason, "control character in realm");
    assert.doesNotMatch(error.message, /secret-ish/);
  });

  it("never throws anything but DigestParseError on arbitrary input", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (tail) => {
        for (const value of [tail, `Digest ${tail}`, `Digest realm="${tail}`]) {
          try {
            parseDigestParams(value);
          } catch (error) {
            if (!(error instanceof DigestParseError)) throw error;
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("quoteString and formatDigestHeader", () => {
  it("escapes DQUOTE and backslash", () => {
    assert.equal(quoteString('a"b\\c'), String.raw`"a\"b\\c"`);
  });

  it("MUST NOT write CR or LF into a header value", () => {
    assert.throws(() => quoteString("realm\r\nX-Injected: 1"), RangeError);
    assert.throws(() => formatDigestHeader([["realm", "a\nb", "quoted"]]), RangeError);
  });

  it("writes the scheme then quoted and token parameters separated by commas", () => {
    assert.equal(
      formatDigestHeader([
        ["realm", "r", "quoted"],
        ["algorithm", "MD5", "token"],
      ]),
      'Digest realm="r", algorithm=MD5',
    );
  });

  it("reads back every value it writes", () => {
    const printable = fc.string({ unit: "grapheme", maxLength: 40 }).filter(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is excluded
      (value) => !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value),
    );
    fc.assert(
      fc.property(fc.array(printable, { minLength: 1, maxLength: 5 }), (values) => {
        const header = formatDigestHeader(values.map((value, i) => [`p${i}`, value, "quoted"]));
        assert.deepEqual([...parseDigestParams(header).values()], values);
      }),
      { numRuns: 500 },
    );
  });
});
