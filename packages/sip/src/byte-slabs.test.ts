import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ByteSlabs, keepBytes } from "./byte-slabs.js";

describe("ByteSlabs", () => {
  it("cuts consecutive Buffers from one slab, 8-byte aligned, and starts a new slab when full", () => {
    const slabs = new ByteSlabs(64, 32);
    const first = slabs.allocate(10);
    const second = slabs.allocate(20);
    assert.equal(first.buffer, second.buffer);
    assert.equal(second.byteOffset - first.byteOffset, 16);
    const third = slabs.allocate(32);
    assert.notEqual(third.buffer, first.buffer, "16 + 24 + 32 bytes do not fit in 64");
  });

  it("gives a Buffer larger than its share an ArrayBuffer of its own", () => {
    const slabs = new ByteSlabs(64, 32);
    const small = slabs.allocate(8);
    const large = slabs.allocate(33);
    assert.notEqual(large.buffer, small.buffer);
    assert.equal(large.length, 33);
  });

  it("copies bytes exactly", () => {
    const bytes = Buffer.from("SIP/2.0 200 OK\r\n\r\n");
    assert.deepEqual(new ByteSlabs().copy(bytes), bytes);
  });
});

describe("keepBytes", () => {
  it("keeps a copy apart from the slab the message was written to", () => {
    const written = new ByteSlabs().allocate(16).fill(7);
    const kept = keepBytes(written);
    assert.deepEqual(kept, written);
    assert.notEqual(kept.buffer, written.buffer);
  });
});
