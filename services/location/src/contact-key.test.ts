import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { contactKey } from "./contact-key.js";

function same(a: string, b: string): void {
  assert.equal(contactKey(a), contactKey(b), `${a} and ${b} must be the same binding`);
  assert.notEqual(contactKey(a), undefined);
}

function different(a: string, b: string): void {
  assert.notEqual(contactKey(a), contactKey(b), `${a} and ${b} must be different bindings`);
}

describe("contactKey (RFC 3261 §19.1.4)", () => {
  it("MUST compare scheme and host case-insensitively", () => {
    same("sip:alice@atlanta.com", "SIP:alice@AtLanTa.CoM");
  });

  it("MUST compare the user part case-sensitively", () => {
    different("sip:alice@atlanta.com", "sip:ALICE@atlanta.com");
  });

  it("MUST treat an escaped unreserved character as the character itself", () => {
    same("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp");
  });

  it("MUST NOT treat an escaped reserved character as the character itself", () => {
    different("sip:a%3Bb@atlanta.com", "sip:a;b@atlanta.com");
  });

  it("MUST NOT match a URI without a port to one with the default port", () => {
    different("sip:alice@atlanta.com", "sip:alice@atlanta.com:5060");
    same("sip:alice@atlanta.com:05060", "sip:alice@atlanta.com:5060");
  });

  it("MUST distinguish sip from sips", () => {
    different("sip:alice@atlanta.com", "sips:alice@atlanta.com");
  });

  it("MUST NOT match when a user, ttl, method or maddr parameter is in only one URI", () => {
    for (const param of ["user=phone", "ttl=1", "method=INVITE", "maddr=239.255.255.1"]) {
      different("sip:alice@atlanta.com", `sip:alice@atlanta.com;${param}`);
    }
  });

  it("ignores other parameters and their order", () => {
    same("sip:alice@atlanta.com;ob;foo=bar;transport=udp", "sip:alice@atlanta.com;transport=udp");
  });

  it("MUST compare URI headers, in any order", () => {
    same(
      "sip:carol@chicago.com?Subject=next%20meeting&X=1",
      "sip:carol@chicago.com?x=1&subject=next%20meeting",
    );
    different("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting");
  });

  it("handles IPv6 references with and without port", () => {
    same("sip:a@[2001:DB8::1]:5070", "sip:a@[2001:db8::1]:5070");
    different("sip:a@[2001:db8::1]", "sip:a@[2001:db8::1]:5060");
  });

  it("keys a URI without user part", () => {
    same("sip:192.0.2.1:5062", "sip:192.0.2.1:5062;lr");
  });

  it("returns undefined for text that is not a URI", () => {
    for (const text of [
      "",
      "alice",
      ":x",
      "sip:",
      "sip:a@",
      "sip:@host",
      "sip:a@host:99999",
      "sip:a@ho st",
      "sip:a@<h>",
    ]) {
      assert.equal(contactKey(text), undefined, JSON.stringify(text));
    }
  });

  it("keys other schemes by their scheme in lower case and the rest exactly", () => {
    same("TEL:+15551234", "tel:+15551234");
    different("urn:uuid:ABC", "urn:uuid:abc");
  });
});
