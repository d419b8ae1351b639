import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Generations } from "./generations.js";

describe("Generations", () => {
  it("finds entries of both generations and keeps at most two generations' worth", () => {
    const memory = new Generations<string, number>(2);
    for (let i = 0; i < 5; i++) memory.add(`k${i}`, i);
    assert.equal(memory.size, 3, "k4 in the current generation, k2 and k3 in the previous");
    assert.equal(memory.get("k2"), 2);
    assert.equal(memory.get("k4"), 4);
    assert.equal(memory.get("k1"), undefined);
  });

  it("tells when an addition rotated the generations", () => {
    const memory = new Generations<string, number>(1);
    assert.equal(memory.add("a", 1), false);
    assert.equal(memory.add("b", 2), true);
    assert.equal(memory.add("c", 3), true);
    assert.deepEqual([memory.get("a"), memory.get("b"), memory.get("c")], [undefined, 2, 3]);
  });

  it("drops the previous generation, or both, on request", () => {
    const memory = new Generations<string, number>(1);
    memory.add("a", 1);
    memory.add("b", 2);
    memory.dropPrevious();
    assert.deepEqual([memory.get("a"), memory.get("b")], [undefined, 2]);
    memory.clear();
    assert.equal(memory.size, 0);
  });

  it("deletes from either generation and tells whether a key was added since the last rotation", () => {
    const memory = new Generations<string, number>(1);
    memory.add("a", 1);
    memory.add("b", 2);
    assert.deepEqual([memory.isCurrent("a"), memory.isCurrent("b")], [false, true]);
    memory.delete("a");
    memory.delete("b");
    assert.equal(memory.size, 0);
  });

  it("replaces a value in whichever generation holds it, without moving it", () => {
    const memory = new Generations<string, number>(1);
    memory.add("a", 1);
    memory.add("b", 2);
    assert.equal(memory.replace("a", 10), true);
    assert.equal(memory.replace("b", 20), true);
    assert.equal(memory.replace("c", 30), false);
    assert.deepEqual([memory.get("a"), memory.get("b"), memory.get("c")], [10, 20, undefined]);
    assert.deepEqual([memory.isCurrent("a"), memory.isCurrent("b")], [false, true]);
  });

  it("refuses an empty generation size", () => {
    assert.throws(() => new Generations(0), RangeError);
  });
});
