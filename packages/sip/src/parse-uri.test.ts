import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SipParseError } from "./parse-error.js";
import { formatUri, parseUri } from "./parse-uri.js";

function rejects(text: string, reason?: string): void {
  assert.throws(
    () => parseUri(text),
    (error: unknown) =>
      error instanceof SipParseError && (reason === undefined || error.reason === reason),
    `expected ${JSON.stringify(text)} to be rejected${reason ? ` with "${reason}"` : ""}`,
  );
}

describe("parseUri: SIP and SIPS URIs (RFC 3261 §19.1)", () => {
  it("reads user, password, host, port, parameters and headers", () => {
    const uri = parseUri(
      "sips:alice:secret@Atlanta.Example.COM:5061;transport=tcp;lr?subject=project%20x&priority=urgent",
    );
    assert.equal(uri.scheme, "sips");
    assert.equal(uri.user, "alice");
    assert.equal(uri.password, "secret");
    assert.equal(uri.host, "atlanta.example.com");
    assert.equal(uri.port, 5061);
    assert.deepEqual(
      [...uri.params],
      [
        ["transport", "tcp"],
        ["lr", null],
      ],
    );
    assert.deepEqual(
      [...uri.headers],
      [
        ["subject", "project x"],
        ["priority", "urgent"],
      ],
    );
  });

  it("treats the scheme as case-insensitive and keeps IPv4 and IPv6 hosts", () => {
    assert.equal(parseUri("SIP:192.0.2.4").scheme, "sip");
    assert.equal(parseUri("sip:192.0.2.4:5070").host, "192.0.2.4");
    const v6 = parseUri("sip:[2001:DB8::10]:5070;maddr=[2001:db8::1]");
    assert.equal(v6.host, "[2001:db8::10]");
    assert.equal(v6.port, 5070);
    assert.equal(v6.params.get("maddr"), "[2001:db8::1]");
  });

  it("decodes %-escapes in the user part, parameter names and values (RFC 4475 §3.1.1.3)", () => {
    const uri = parseUri("sip:sips%3Aann%40example.org@example.net;%6C%72;n%61me=v%61lue%25%34%31");
    assert.equal(uri.user, "sips:ann@example.org");
    assert.equal(uri.host, "example.net");
    assert.deepEqual(
      [...uri.params],
      [
        ["lr", null],
        ["name", "value%41"],
      ],
    );
  });

  it("accepts an escaped NUL in the user part (RFC 4475 §3.1.1.4)", () => {
    assert.equal(parseUri("sip:nul-%00-nul@example.com").user, "nul-\0-nul");
  });

  it("finds the host after the last userinfo character, whatever the user holds (RFC 4475 §3.1.1.2)", () => {
    const uri = parseUri("sip:odd.user~(yes!)&it's+fine$/ok?,/;;*:&pa+ss=1,word!*(x)@example.com");
    assert.equal(uri.user, "odd.user~(yes!)&it's+fine$/ok?,/;;*");
    assert.equal(uri.password, "&pa+ss=1,word!*(x)");
    assert.equal(uri.host, "example.com");
  });

  it("reads a user part holding a semicolon (RFC 4475 §3.1.1.11)", () => {
    const uri = parseUri("sip:user;par=u%40example.net@example.com");
    assert.equal(uri.user, "user;par=u@example.net");
    assert.equal(uri.host, "example.com");
    assert.equal(uri.params.size, 0);
  });

  it("rejects malformed escapes", () => {
    rejects("sip:us%2r@example.com", "Bad escape in URI");
    rejects("sip:user%zz@example.com", "Bad escape in URI");
    rejects("sip:user@example.com;name=%4", "Bad escape in URI");
  });

  it("rejects bad IPv6 references and hosts", () => {
    rejects("sip:[2001:db8::1", "Bad URI host");
    rejects("sip:[2001:db8:::1]", "Bad URI host");
    rejects("sip:[192.0.2.1]", "Bad URI host");
    rejects("sip:user@", "Bad URI host");
    rejects("sip:-bad.example.com", "Bad URI host");
    rejects("sip:bad-.example.com", "Bad URI host");
    rejects("sip:a..b", "Bad URI host");
    rejects("sip:256.1.1.1", "Bad URI host");
    rejects("sip:host.123", "Bad URI host");
  });

  it("rejects white space, a bad port, duplicate parameters and trailing garbage", () => {
    rejects("sip:user@example.com; lr");
    rejects("sip:user@example.com:99999", "Bad URI port");
    rejects("sip:user@example.com:", "Bad URI port");
    rejects("sip:example.com;lr;LR", "Duplicate URI parameter");
    rejects("sip:example.com;=x", "Bad URI parameter");
    rejects("sip:example.com>");
    rejects("<sip:example.com>", "Bad URI scheme");
    rejects("sip:a@b@example.com");
  });

  it("formatUri writes a URI that parses back to the same value", () => {
    const cases = [
      "sip:alice@example.com",
      "sips:a%20b:p%40ss@[2001:db8::1]:5061;transport=tls;lr?x=a%26b",
      "sip:%00@host.example.com",
      "tel:+1-201-555-0123;phone-context=example.com",
      "urn:service:sos",
    ];
    for (const text of cases) {
      const uri = parseUri(text);
      assert.deepEqual(parseUri(formatUri(uri)), uri, text);
    }
  });
});

describe("parseUri: TEL and other schemes", () => {
  it("reads a TEL URI number and parameters (RFC 3966)", () => {
    const uri = parseUri("tel:+1-201-555-0123;ext=1234");
    assert.equal(uri.scheme, "tel");
    assert.equal(uri.user, "+1-201-555-0123");
    assert.equal(uri.host, "");
    assert.equal(uri.params.get("ext"), "1234");
    rejects("tel:", "Bad TEL URI");
    rejects("tel:+1+2", "Bad TEL URI");
  });

  it("keeps any other absoluteURI as scheme and opaque text (RFC 4475 §3.3.2)", () => {
    const uri = parseUri("nobodyKnowsThisScheme:totallyopaquecontent");
    assert.equal(uri.scheme, "nobodyknowsthisscheme");
    assert.equal(uri.opaque, "totallyopaquecontent");
    assert.equal(parseUri("soap.beep://192.0.2.103:3002").opaque, "//192.0.2.103:3002");
    rejects("http:");
    rejects("http://example.com/a b");
  });
});
