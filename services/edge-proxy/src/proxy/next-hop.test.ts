import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseUri } from "@switchboard/sip";
import { resolveNextHop, UnresolvableNextHopError } from "./next-hop.js";

const noLookup = async (host: string): Promise<string> => {
  throw new Error(`unexpected lookup of ${host}`);
};

describe("resolveNextHop", () => {
  it("uses a known transport address as it is", () => {
    const address = { transport: "UDP" as const, host: "203.0.113.5", port: 40000 };
    assert.equal(resolveNextHop({ address }, noLookup), address);
  });

  it("uses an IP literal without a lookup, port 5060 by default", () => {
    assert.deepEqual(resolveNextHop({ uri: parseUri("sip:bob@203.0.113.5") }, noLookup), {
      transport: "UDP",
      host: "203.0.113.5",
      port: 5060,
    });
    assert.deepEqual(resolveNextHop({ uri: parseUri("sip:[2001:db8::1]:5070") }, noLookup), {
      transport: "UDP",
      host: "2001:db8::1",
      port: 5070,
    });
  });

  it("prefers maddr over the host (RFC 3261 §19.1.1)", () => {
    const uri = parseUri("sip:bob@example.org;maddr=203.0.113.9");
    assert.deepEqual(resolveNextHop({ uri }, noLookup), {
      transport: "UDP",
      host: "203.0.113.9",
      port: 5060,
    });
  });

  it("resolves a host name", async () => {
    const hop = resolveNextHop(
      { uri: parseUri("sip:bob@gw.example.org:5080") },
      async () => "198.51.100.20",
    );
    assert.deepEqual(await hop, { transport: "UDP", host: "198.51.100.20", port: 5080 });
  });

  it("fails with UnresolvableNextHopError for a name without address or a non-SIP URI", async () => {
    const failing = async (): Promise<string> => {
      throw new Error("ENOTFOUND");
    };
    await assert.rejects(
      Promise.resolve(resolveNextHop({ uri: parseUri("sip:bob@nowhere.invalid") }, failing)),
      UnresolvableNextHopError,
    );
    assert.throws(
      () => resolveNextHop({ uri: parseUri("tel:+15551234") }, noLookup),
      UnresolvableNextHopError,
    );
  });
});
