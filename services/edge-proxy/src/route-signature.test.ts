import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RouteSigner } from "./route-signature.js";

const signer = new RouteSigner("route-secret-for-tests");

describe("RouteSigner", () => {
  it("signs a Call-ID with 24 lowercase hex characters, the same every time", () => {
    const signature = signer.sign("a84b4c76e66710@pc33.example.com");
    assert.match(signature, /^[0-9a-f]{24}$/);
    assert.equal(signer.sign("a84b4c76e66710@pc33.example.com"), signature);
  });

  it("verifies its own signature for the same Call-ID", () => {
    assert.equal(signer.verify("call-1", signer.sign("call-1")), true);
  });

  it("MUST reject a signature made for another Call-ID", () => {
    assert.equal(signer.verify("call-2", signer.sign("call-1")), false);
  });

  it("MUST reject a signature made with another secret", () => {
    const other = new RouteSigner("another-route-secret");
    assert.equal(signer.verify("call-1", other.sign("call-1")), false);
  });

  it("MUST reject a missing, empty, truncated or altered signature", () => {
    const good = signer.sign("call-1");
    const altered = `${good.slice(0, -1)}${good.endsWith("a") ? "b" : "a"}`;
    for (const bad of [undefined, null, "", good.slice(0, -1), `${good}a`, altered]) {
      assert.equal(signer.verify("call-1", bad), false, String(bad));
    }
  });

  it("refuses an empty secret", () => {
    assert.throws(() => new RouteSigner(""), RangeError);
  });
});
