import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ArgumentError,
  formatAddress,
  normalizeDomain,
  parseAorArgument,
  parseUserAddress,
} from "./args.js";

describe("parseUserAddress", () => {
  it("puts a bare user in the default domain", () => {
    assert.deepEqual(parseUserAddress("1000", "localhost"), {
      username: "1000",
      domain: "localhost",
    });
  });

  it("takes the domain after the last @ and lower-cases it (RFC 3261 §19.1.4)", () => {
    assert.deepEqual(parseUserAddress("1000@Example.COM", "localhost"), {
      username: "1000",
      domain: "example.com",
    });
    assert.deepEqual(parseUserAddress("a@b@example.com", "localhost"), {
      username: "a@b",
      domain: "example.com",
    });
  });

  it("keeps SQL and shell metacharacters of a user name as plain data", () => {
    for (const username of ["o'brien", 'x";--', "50%_off", "back\\slash", "a;b"]) {
      assert.equal(parseUserAddress(username, "localhost").username, username);
    }
  });

  it("refuses empty, overlong, whitespace and control-character user names", () => {
    for (const text of ["", "@example.com", "a".repeat(65), "two words", "tab\there", "nul\0"]) {
      assert.throws(() => parseUserAddress(text, "localhost"), ArgumentError, text);
    }
    assert.equal(parseUserAddress("a".repeat(64), "localhost").username.length, 64);
  });

  it("refuses a domain that is neither a hostname nor an IP literal", () => {
    for (const text of [
      "1000@",
      "1000@exa mple.com",
      "1000@-bad.com",
      "1000@a..b",
      "1000@[zz]",
      "1000@a_b.com",
    ]) {
      assert.throws(() => parseUserAddress(text, "localhost"), ArgumentError, text);
    }
  });
});

describe("normalizeDomain", () => {
  it("accepts hostnames, IPv4 and bracketed IPv6 literals", () => {
    assert.equal(normalizeDomain("sip.example.com"), "sip.example.com");
    assert.equal(normalizeDomain("192.0.2.7"), "192.0.2.7");
    assert.equal(normalizeDomain("[2001:DB8::1]"), "[2001:db8::1]");
  });

  it("refuses a domain longer than 253 characters", () => {
    const long = `${"a".repeat(63)}.`.repeat(4).slice(0, 254);
    assert.throws(() => normalizeDomain(long), /longer than 253/);
  });
});

describe("parseAorArgument", () => {
  it("accepts the bare, user@domain and sip: forms alike", () => {
    const expected = { username: "1000", domain: "example.com" };
    assert.deepEqual(parseAorArgument("1000", "example.com"), expected);
    assert.deepEqual(parseAorArgument("1000@example.com", "localhost"), expected);
    assert.deepEqual(parseAorArgument("sip:1000@example.com", "localhost"), expected);
    assert.deepEqual(parseAorArgument("SIPS:1000@EXAMPLE.com", "localhost"), expected);
  });

  it("drops URI parameters, headers and a password from a sip: URI", () => {
    assert.deepEqual(
      parseAorArgument("sip:1000:secret@example.com;transport=udp?subject=x", "localhost"),
      { username: "1000", domain: "example.com" },
    );
  });

  it("unescapes the user part of a sip: URI (RFC 3261 §19.1.4)", () => {
    assert.equal(parseAorArgument("sip:o%27brien@example.com", "x").username, "o'brien");
    assert.throws(() => parseAorArgument("sip:bad%zz@example.com", "x"), ArgumentError);
  });

  it("refuses a sip: URI without user or with a port", () => {
    assert.throws(() => parseAorArgument("sip:example.com", "x"), /names no user/);
    assert.throws(() => parseAorArgument("sip:1000@example.com:5060", "x"), /no port/);
    assert.throws(() => parseAorArgument("sip:1000@[2001:db8::1]:5060", "x"), /no port/);
    assert.deepEqual(parseAorArgument("sip:1000@[2001:db8::1]", "x"), {
      username: "1000",
      domain: "[2001:db8::1]",
    });
  });
});

describe("formatAddress", () => {
  it("writes user@domain", () => {
    assert.equal(
      formatAddress({ username: "o'brien", domain: "example.com" }),
      "o'brien@example.com",
    );
  });
});
