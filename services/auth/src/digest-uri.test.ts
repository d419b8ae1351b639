import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { digestUriMatches } from "./digest-uri.js";

describe("digestUriMatches", () => {
  it("accepts an exact match", () => {
    assert.equal(
      digestUriMatches(
        "sip:alice@example.com;transport=udp",
        "sip:alice@example.com;transport=udp",
      ),
      true,
    );
  });

  it("accepts a URI differing only in the case of scheme and host (RFC 3261 §19.1.4)", () => {
    assert.equal(
      digestUriMatches("SIP:alice@Example.COM:5060", "sip:alice@example.com:5060"),
      true,
    );
    assert.equal(digestUriMatches("sip:EXAMPLE.com;lr", "Sip:example.com;lr"), true);
  });

  it("rejects a URI whose user part differs, even only in case (user is case-sensitive)", () => {
    assert.equal(digestUriMatches("sip:Alice@example.com", "sip:alice@example.com"), false);
  });

  it("rejects another host, port or parameter set", () => {
    assert.equal(digestUriMatches("sip:alice@evil.example", "sip:alice@example.com"), false);
    assert.equal(digestUriMatches("sip:alice@example.com:5070", "sip:alice@example.com"), false);
    assert.equal(
      digestUriMatches("sip:alice@example.com;maddr=evil", "sip:alice@example.com"),
      false,
    );
  });

  it("lower-cases the host only, not a user part holding ';' before '@'", () => {
    assert.equal(
      digestUriMatches("sip:+1;Phone-Context=X@example.com", "sip:+1;phone-context=x@example.com"),
      false,
    );
    assert.equal(
      digestUriMatches("sip:+1;Phone-Context=X@EXAMPLE.com", "sip:+1;Phone-Context=X@example.com"),
      true,
    );
  });

  it("compares text without a scheme exactly", () => {
    assert.equal(digestUriMatches("example.com", "EXAMPLE.com"), false);
    assert.equal(digestUriMatches("", ""), true);
  });
});
