import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { warmUpSipCode } from "./warm-up.js";

describe("warmUpSipCode", () => {
  it("runs its messages through parsing, credentials, responses and forwarding edits", () => {
    // Each round's work adds up to the same amount; a message the SIP code came to refuse
    // would throw here rather than stop an edge from starting.
    const one = warmUpSipCode(1);
    assert.ok(one > 0);
    assert.equal(warmUpSipCode(3), 3 * one);
  });

  it("does nothing for zero rounds", () => {
    assert.equal(warmUpSipCode(0), 0);
  });
});
