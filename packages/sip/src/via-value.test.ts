import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseVia } from "./parse-via.js";
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

  it("refuses a port outside 0..65535, so that its text never needs checking", () => {
    for (const port of [-1, 65536, 50.5, Number.NaN]) {
      assert.throws(
        () => createVia({ transport: "UDP", host: "192.0.2.1", port, branch: "z9hG4bKs" }),
        RangeError,
      );
    }
  });
});
