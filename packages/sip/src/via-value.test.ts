import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseVia, viaWithSource } from "./parse-via.js";
import { createVia, formatVia, ViaValue } from "./via-value.js";

describe("createVia", () => {
  it("writes the text formatVia writes, and remembers it as its own", () => {
    const via = createVia({
      transport: "tls",
      host: "Edge.Example.com",
      port: 5061,
      branch: "z9hG4bKq",
      rport: true,
    });
    assert.equal(
      ViaValue.createdText(via),
      "SIP/2.0/TLS edge.example.com:5061;branch=z9hG4bKq;rport",
    );
    assert.equal(ViaValue.createdText(via), formatVia(via));
    const bare = createVia({ transport: "UDP", host: "192.0.2.1", branch: "z9hG4bKr" });
    assert.equal(ViaValue.createdText(bare), "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKr");
    assert.equal(
      ViaValue.createdText(parseVia("SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKr")),
      undefined,
    );
  });

  it("checks host and transport whenever they differ from the previous call's", () => {
    const first = createVia({ transport: "udp", host: "a.example.com", branch: "z9hG4bK1" });
    assert.throws(
      () => createVia({ transport: "udp", host: "bad host", branch: "z9hG4bK2" }),
      RangeError,
    );
    assert.throws(
      () => createVia({ transport: "u d p", host: "a.example.com", branch: "z9hG4bK2" }),
      RangeError,
    );
    const second = createVia({
      transport: "tcp",
      host: "B.example.com",
      port: 5070,
      branch: "z9hG4bK3",
    });
    assert.equal(ViaValue.createdText(first), "SIP/2.0/UDP a.example.com;branch=z9hG4bK1");
    assert.equal(ViaValue.createdText(second), "SIP/2.0/TCP b.example.com:5070;branch=z9hG4bK3");
    assert.deepEqual([...second.params], [["branch", "z9hG4bK3"]]);
    assert.throws(
      () => createVia({ transport: "tcp", host: "B.example.com", branch: "z9hG4bK 4" }),
      RangeError,
    );
  });

  it("refuses a port outside 0..65535, so that its text never needs checking", () => {
    for (const port of [-1, 65536, 50.5, Number.NaN]) {
      assert.throws(
        () => createVia({ transport: "UDP", host: "192.0.2.1", port, branch: "z9hG4bKs" }),
        RangeError,
      );
    }
  });
});

describe("Via parameters read on demand", () => {
  it("gives every parameter as written, names in lower case, quoted values unquoted", () => {
    const via = parseVia(
      'SIP/2.0/UDP h.example.com ; Branch=z9hG4bKa ;rport; X-Y = "a b";ttl=3;maddr=192.0.2.4',
    );
    assert.deepEqual(
      [...via.params],
      [
        ["branch", "z9hG4bKa"],
        ["rport", null],
        ["x-y", "a b"],
        ["ttl", "3"],
        ["maddr", "192.0.2.4"],
      ],
    );
    assert.equal(via.params, via.params);
  });

  it("RFC 3581 §4: a stamped Via has its base's parameters with received added and rport filled", () => {
    const base = parseVia("SIP/2.0/UDP h.example.com;rport;branch=z9hG4bKa;x=1");
    const stamped = viaWithSource(base, "192.0.2.9", 40000);
    assert.deepEqual(
      [...(stamped?.params ?? [])],
      [
        ["rport", "40000"],
        ["branch", "z9hG4bKa"],
        ["x", "1"],
        ["received", "192.0.2.9"],
      ],
    );
    assert.deepEqual([...base.params].length, 3);
  });

  it("rejects a parameter given twice, among few or many (RFC 3261 §25.1 generic-param)", () => {
    assert.throws(
      () => parseVia("SIP/2.0/UDP h;branch=z9hG4bKa;BRANCH=z9hG4bKb"),
      /Duplicate Via parameter/,
    );
    assert.throws(() => parseVia("SIP/2.0/UDP h;a;b;A"), /Duplicate Via parameter/);
    const many = Array.from({ length: 40 }, (_, i) => `;p${i}`).join("");
    assert.equal(parseVia(`SIP/2.0/UDP h${many}`).params.size, 40);
    assert.throws(() => parseVia(`SIP/2.0/UDP h${many};p17`), /Duplicate Via parameter/);
  });
});
