// Small Buffers cut from shared slabs, as Buffer.allocUnsafe does with its pool but from a
// larger one: making an ArrayBuffer costs more than writing a message. A Buffer keeps its
// whole slab alive while it lives, so one pool should serve Buffers of about the same
// lifetime: a long-lived Buffer in a slab of short-lived ones holds all of that slab.

export class ByteSlabs {
  readonly #slabSize: number;
  readonly #maxShare: number;
  #slab: Buffer;
  #used = 0;

  /**
   * @param slabSize - bytes per slab.
   * @param maxShare - larger Buffers get an ArrayBuffer of their own.
   */
  constructor(slabSize = 32 * 1024, maxShare = 8 * 1024) {
    this.#slabSize = slabSize;
    this.#maxShare = maxShare;
    this.#slab = Buffer.allocUnsafeSlow(slabSize);
  }

  /** An uninitialised Buffer of `size` bytes. */
  allocate(size: number): Buffer {
    if (size > this.#maxShare) return Buffer.allocUnsafe(size);
    if (this.#used + size > this.#slabSize) {
      this.#slab = Buffer.allocUnsafeSlow(this.#slabSize);
      this.#used = 0;
    }
    const out = this.#slab.subarray(this.#used, this.#used + size);
    // Each Buffer starts 8-byte aligned, as in Buffer's own pool.
    this.#used = (this.#used + size + 7) & ~7;
    return out;
  }

  /** A copy of `bytes` in this pool. */
  copy(bytes: Uint8Array): Buffer {
    const out = this.allocate(bytes.length);
    out.set(bytes);
    return out;
  }
}

const keptSlabs = new ByteSlabs();

/**
 * A copy of `bytes` for a transaction to keep until it ends (a final response to send again
 * for 32 s): messages are written into slabs shared with every other message, most of them
 * gone within milliseconds, and one kept there would hold its whole slab. Kept copies share
 * slabs of their own, which they free together.
 */
export function keepBytes(bytes: Uint8Array): Buffer {
  return keptSlabs.copy(bytes);
}
