import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findListComma, splitList } from "./header-list.js";
import { parseContactList } from "./parse-contact.js";
import { SipParseError } from "./parse-error.js";
import { formatNameAddr, parseNameAddr, parseNameAddrList } from "./parse-name-addr.js";
import { parseCallId, parseCSeq, parseDeltaSeconds, parseMaxForwards } from "./parse-scalar.js";
import { createVia, formatVia, parseVia, parseViaList, viaWithSource } from "./parse-via.js";

function rejects(parse: () => unknown, reason: string): void {
  assert.throws(parse, (error: unknown) => {
    assert.ok(error instanceof SipParseError, `expected SipParseError, got ${String(error)}`);
    assert.equal(error.reason, reason);
    return true;
  });
}

describe("name-addr and addr-spec (RFC 3261 §20.10, §25.1)", () => {
  it("reads a quoted display name with quoted-pairs, the URI as written and the parameters", () => {
    const value = parseNameAddr('"J Rosenberg \\\\\\"" <sip:jdrosen@example.com> ; tag = 98asjd8');
    assert.equal(value.displayName, 'J Rosenberg \\"');
    assert.equal(value.uriText, "sip:jdrosen@example.com");
    assert.equal(value.uri.user, "jdrosen");
    assert.equal(value.params.get("tag"), "98asjd8");
  });

  it("reads token display names, with or without white space before <", () => {
    assert.equal(parseNameAddr("caller<sip:caller@example.com>;tag=323").displayName, "caller");
    const odd = parseNameAddr("token1~` token2'+_ token3*%!.- <sip:mundane@example.com>");
    assert.equal(odd.displayName, "token1~` token2'+_ token3*%!.-");
  });

  it("reads an addr-spec whose parameters are header parameters (RFC 3261 §20.10)", () => {
    const value = parseNameAddr("sip:+19725552222@gw1.example.net;unknownparam;tag=1");
    assert.equal(value.displayName, undefined);
    assert.equal(value.uri.params.size, 0);
    assert.deepEqual(
      [...value.params],
      [
        ["unknownparam", null],
        ["tag", "1"],
      ],
    );
  });

  it("keeps UTF-8 display names as octets and unquotes quoted parameter values", () => {
    const octets = Buffer.from(
      '"Zoë" <sip:z@example.com>;+sip.instance="<urn:uuid:1>"',
      "utf8",
    ).toString("latin1");
    const value = parseNameAddr(octets);
    assert.equal(Buffer.from(value.displayName ?? "", "latin1").toString("utf8"), "Zoë");
    assert.equal(value.params.get("+sip.instance"), "<urn:uuid:1>");
  });

  it("rejects an unterminated quoted string (RFC 4475 §3.1.2.7)", () => {
    rejects(
      () => parseNameAddr('"Mr. J. User <sip:j.user@example.com>'),
      "Unterminated quoted string",
    );
  });

  it("rejects a display name with commas outside quotes and spaces inside <> (RFC 4475 §3.1.2.14-15)", () => {
    assert.throws(
      () => parseNameAddr("Bell, Alexander <sip:a.g.bell@example.com>;tag=43"),
      SipParseError,
    );
    assert.throws(
      () => parseNameAddr('"Watson, Thomas" < sip:t.watson@example.org >'),
      SipParseError,
    );
  });

  it("rejects empty and duplicate parameters and a ? in an addr-spec (RFC 4475 §3.1.2.13)", () => {
    rejects(() => parseNameAddr('"Joe" <sip:joe@example.org>;;;;'), "Bad header parameter");
    rejects(() => parseNameAddr("<sip:a@example.org>;tag=1;tag=2"), "Duplicate header parameter");
    rejects(
      () => parseNameAddr("sip:user@example.com?Route=%3Csip:sip.example.com%3E"),
      "Bad addr-spec",
    );
    rejects(() => parseNameAddr("<sip:a@example.org"), "Unterminated <");
  });

  it("parses lists of name-addrs without splitting inside quotes or <>", () => {
    const routes = parseNameAddrList(
      '<sip:p1.example.com;lr>, "a, b" <sip:p2.example.com;lr>,<sip:p3.example.com>',
    );
    assert.deepEqual(
      routes.map((route) => route.uri.host),
      ["p1.example.com", "p2.example.com", "p3.example.com"],
    );
    assert.equal(routes[1]?.displayName, "a, b");
  });

  it("formatNameAddr writes a value that parses back to the same name-addr", () => {
    const value = parseNameAddr(
      '"A \\"B\\"" <sip:a@example.com;lr>;tag=x;+sip.instance="<urn:uuid:1>";lr',
    );
    assert.deepEqual(parseNameAddr(formatNameAddr(value)), value);
  });
});

describe("Via (RFC 3261 §20.42, RFC 3581)", () => {
  it("reads protocol, transport, sent-by and the well-known parameters", () => {
    const via = parseVia(
      'SIP/2.0/udp Pc33.Example.COM:5066;branch=z9hG4bK776;received=192.0.2.1;rport=5070;maddr=224.2.0.1;ttl=16;x="y z"',
    );
    assert.equal(via.protocol, "SIP/2.0");
    assert.equal(via.transport, "UDP");
    assert.equal(via.host, "pc33.example.com");
    assert.equal(via.port, 5066);
    assert.equal(via.branch, "z9hG4bK776");
    assert.equal(via.received, "192.0.2.1");
    assert.equal(via.rport, 5070);
    assert.equal(via.params.get("ttl"), "16");
    assert.equal(via.params.get("x"), "y z");
  });

  it("tells a valueless rport (null) from an absent one (undefined)", () => {
    assert.equal(parseVia("SIP/2.0/UDP h.example.com;rport;branch=z9hG4bKa").rport, null);
    assert.equal(parseVia("SIP/2.0/UDP h.example.com;branch=z9hG4bKa").rport, undefined);
  });

  it("allows white space around the separators (RFC 4475 §3.1.1.1)", () => {
    const vias = parseViaList(
      "SIP  / 2.0  / TCP     spindle.example.com   ;  branch  =   z9hG4bK9ikj8  , SIP  /    2.0   / UDP  192.168.255.111   ; branch= z9hG4bK30239",
    );
    assert.equal(vias.length, 2);
    assert.equal(vias[0]?.transport, "TCP");
    assert.equal(vias[0]?.branch, "z9hG4bK9ikj8");
    assert.equal(vias[1]?.host, "192.168.255.111");
    assert.equal(vias[1]?.branch, "z9hG4bK30239");
  });

  it("reads IPv6 sent-by and an RFC 2543 Via without branch", () => {
    const via = parseVia("SIP/2.0/TCP [2001:db8::9]:5060");
    assert.equal(via.host, "[2001:db8::9]");
    assert.equal(via.branch, undefined);
  });

  it("rejects malformed Vias (RFC 4475 §3.1.2.3)", () => {
    rejects(() => parseVia("SIP/2.0/UDP 192.0.2.15;;,;,,"), "Bad Via parameter");
    rejects(() => parseVia("SIP/2.0 192.0.2.15"), "Bad Via protocol");
    rejects(() => parseVia("SIP/2.0/UDP"), "Bad Via");
    rejects(() => parseVia("SIP/2.0/UDP host.example.com:70000"), "Bad Via port");
    rejects(() => parseVia("SIP/2.0/UDP host.example.com;received=not-an-ip"), "Bad Via received");
    rejects(() => parseVia("SIP/2.0/UDP host.example.com;rport=x"), "Bad Via rport");
    rejects(() => parseVia("SIP/2.0/UDP host.example.com;ttl=256"), "Bad Via ttl");
    rejects(() => parseVia("SIP/2.0/UDP host.example.com;branch"), "Bad Via branch");
    rejects(() => parseVia("SIP/2.0/UDP [::1;branch=x"), "Bad Via sent-by");
  });

  it("RFC 3261 §18.2.1 and RFC 3581 §4: records the source address and fills a valueless rport", () => {
    const named = parseVia("SIP/2.0/UDP pc.example.com;branch=z9hG4bKa;rport");
    const stamped = viaWithSource(named, "192.0.2.9", 40000);
    assert.equal(stamped?.received, "192.0.2.9");
    assert.equal(stamped?.rport, 40000);
    const same = parseVia("SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKa");
    assert.equal(viaWithSource(same, "192.0.2.9", 5060), undefined);
    const sameWithRport = viaWithSource(parseVia("SIP/2.0/UDP 192.0.2.9;rport"), "192.0.2.9", 5062);
    assert.equal(
      sameWithRport?.received,
      "192.0.2.9",
      "rport forces received even for the same address",
    );
  });

  it("createVia and formatVia write a Via that parses back to the same value", () => {
    const via = createVia({
      transport: "tcp",
      host: "Proxy.Example.com",
      port: 5060,
      branch: "z9hG4bKx",
      rport: true,
    });
    assert.deepEqual(parseVia(formatVia(via)), via);
    assert.throws(
      () => createVia({ transport: "UDP", host: "bad host", branch: "z9hG4bKx" }),
      RangeError,
    );
  });
});

describe("scalar header fields", () => {
  it("CSeq: number 0..2^31-1 and a method token (RFC 3261 §8.1.1.5)", () => {
    assert.deepEqual(parseCSeq("0009 INVITE"), { seq: 9, method: "INVITE" });
    assert.deepEqual(parseCSeq("2147483647 RE%47IST%45R"), {
      seq: 2147483647,
      method: "RE%47IST%45R",
    });
    rejects(() => parseCSeq("2147483648 INVITE"), "Bad CSeq");
    rejects(() => parseCSeq("36893488147419103232 REGISTER"), "Bad CSeq");
    rejects(() => parseCSeq("-1 INVITE"), "Bad CSeq");
    rejects(() => parseCSeq("1"), "Bad CSeq");
    rejects(() => parseCSeq("1 INV ITE"), "Bad CSeq");
  });

  it("Max-Forwards: 0..255 (RFC 3261 §20.22)", () => {
    assert.equal(parseMaxForwards("0068"), 68);
    assert.equal(parseMaxForwards("0"), 0);
    rejects(() => parseMaxForwards("256"), "Bad Max-Forwards");
    rejects(() => parseMaxForwards("300"), "Bad Max-Forwards");
    rejects(() => parseMaxForwards("7a"), "Bad Max-Forwards");
  });

  it("delta-seconds: caps huge values at 2^32-1 and rejects non-digits (RFC 3261 §20.19)", () => {
    assert.equal(parseDeltaSeconds("3600", "Expires"), 3600);
    assert.equal(parseDeltaSeconds("1".padEnd(100, "0"), "Expires"), 0xffffffff);
    rejects(() => parseDeltaSeconds("-1", "Expires"), "Bad Expires");
    rejects(() => parseDeltaSeconds("", "Expires"), "Bad Expires");
  });

  it("Call-ID: word [@ word] (RFC 3261 §25.1)", () => {
    assert.equal(
      parseCallId("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{"),
      "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{",
    );
    rejects(() => parseCallId("a@b@c"), "Bad Call-ID");
    rejects(() => parseCallId("has space"), "Bad Call-ID");
    rejects(() => parseCallId(""), "Bad Call-ID");
  });
});

describe("Contact (RFC 3261 §20.10, RFC 5626 §4.1)", () => {
  it("reads *, and lists across fields with q, expires, +sip.instance and reg-id", () => {
    assert.deepEqual(parseContactList(" * "), { star: true });
    const list = parseContactList([
      '<sip:a@192.0.2.1>;q=0.7;expires=3600;+sip.instance="<urn:uuid:0001>";reg-id=1',
      "<sip:b@192.0.2.2>;q=1.000, sip:c@192.0.2.3;q=0",
    ]);
    assert.ok(!list.star);
    assert.deepEqual(
      list.contacts.map((contact) => contact.uri.user),
      ["a", "b", "c"],
    );
    assert.equal(list.contacts[0]?.params.get("+sip.instance"), "<urn:uuid:0001>");
  });

  it("rejects * mixed with contacts and malformed q, expires and reg-id", () => {
    rejects(() => parseContactList(["*", "<sip:a@example.com>"]), "Bad Contact *");
    rejects(() => parseContactList("<sip:a@example.com>;q=1.5"), "Bad Contact q");
    rejects(() => parseContactList("<sip:a@example.com>;q=0.1234"), "Bad Contact q");
    rejects(() => parseContactList("<sip:a@example.com>;expires=soon"), "Bad Contact expires");
    rejects(() => parseContactList("<sip:a@example.com>;reg-id=0"), "Bad Contact reg-id");
  });
});

describe("comma-separated lists (RFC 3261 §7.3.1)", () => {
  it("splits on commas outside quoted strings and <...>", () => {
    assert.deepEqual(splitList('a, "b, \\" c", <sip:d@x;p=1,2>,, e'), [
      "a",
      '"b, \\" c"',
      "<sip:d@x;p=1,2>",
      "e",
    ]);
    assert.equal(findListComma('"x,y" z'), -1);
  });
});
