// Stateless digest nonces (RFC 7616 §3.3 leaves the nonce format to the server;
// RFC 2617 §3.2.1 suggests a time stamp and a private key). A nonce is
//   base64url( issued-at (8 bytes, ms, big-endian) | random (12 bytes) | tag (16 bytes) )
// where tag = HMAC-SHA256(secret, issued-at | random) truncated to 128 bits
// (RFC 2104 §5). Any instance holding the secret verifies any instance's nonce, so
// no nonce state is shared between instances.

import { createHmac, randomFillSync, timingSafeEqual } from "node:crypto";
import type { Clock } from "@switchboard/kit";

const TIME_BYTES = 8;
const RANDOM_BYTES = 12;
const TAG_BYTES = 16;
const SIGNED_BYTES = TIME_BYTES + RANDOM_BYTES;
const NONCE_BYTES = SIGNED_BYTES + TAG_BYTES;
/** Random parts are drawn from the CSPRNG in blocks, one call per this many nonces. */
const NONCES_PER_RANDOM_BLOCK = 256;
/** 36 bytes encode to exactly 48 base64url characters, with no padding bits. */
const NONCE_PATTERN = /^[A-Za-z0-9_-]{48}$/;

/**
 * Instances' clocks differ a little; a nonce issued by a peer whose clock runs ahead
 * is accepted up to this far in the future, and treated as stale beyond it.
 */
export const MAX_CLOCK_SKEW_MS = 30_000;

/** The outcome of checking a nonce a client sent back. */
export type NonceCheck =
  | { readonly status: "valid"; readonly issuedAt: number; readonly expiresAt: number }
  /** Authentic but too old (or too far ahead): challenge again with stale=true (RFC 7616 §3.3). */
  | { readonly status: "stale-nonce" }
  /** Not a nonce this deployment issued: forged, garbled or signed with another secret. */
  | { readonly status: "bad-nonce" };

export interface NonceCodecOptions {
  /** The shared signing key; every instance of a deployment must use the same one. */
  readonly secret: string | Uint8Array;
  readonly lifetimeMs: number;
  readonly clock: Clock;
}

/** The issue time written in a well-formed nonce, its tag unchecked; undefined otherwise. */
function issueTimeOf(nonce: string): number | undefined {
  if (!NONCE_PATTERN.test(nonce)) return undefined;
  return Number(Buffer.from(nonce, "base64url").readBigUInt64BE(0));
}

export class NonceCodec {
  readonly lifetimeMs: number;
  readonly #secret: Uint8Array;
  readonly #clock: Clock;
  readonly #randomBlock = Buffer.alloc(RANDOM_BYTES * NONCES_PER_RANDOM_BLOCK);
  #randomOffset = this.#randomBlock.length;

  constructor(options: NonceCodecOptions) {
    if (options.secret.length === 0) throw new RangeError("the nonce secret must not be empty");
    if (!(options.lifetimeMs > 0)) throw new RangeError("the nonce lifetime must be positive");
    this.#secret =
      typeof options.secret === "string" ? Buffer.from(options.secret, "utf8") : options.secret;
    this.lifetimeMs = options.lifetimeMs;
    this.#clock = options.clock;
  }

  /** A fresh nonce stamped with the current time. */
  issue(): string {
    const nonce = Buffer.allocUnsafe(NONCE_BYTES);
    nonce.writeBigUInt64BE(BigInt(Math.trunc(this.#clock.now())), 0);
    if (this.#randomOffset === this.#randomBlock.length) {
      randomFillSync(this.#randomBlock);
      this.#randomOffset = 0;
    }
    this.#randomBlock.copy(
      nonce,
      TIME_BYTES,
      this.#randomOffset,
      this.#randomOffset + RANDOM_BYTES,
    );
    this.#randomOffset += RANDOM_BYTES;
    this.#tag(nonce.subarray(0, SIGNED_BYTES)).copy(nonce, SIGNED_BYTES);
    return nonce.toString("base64url");
  }

  /**
   * Checks authenticity first (constant time), then age. Never throws. With `knownAuthentic`
   * the caller vouches that this very nonce passed the check before (the nonce-count tracker
   * holds it): a client sends its nonce with every request until it goes stale, and only
   * the age is checked then, sparing an HMAC per request.
   */
  check(nonce: string, knownAuthentic = false): NonceCheck {
    const issuedAt = knownAuthentic ? issueTimeOf(nonce) : this.#authenticate(nonce);
    if (issuedAt === undefined) return { status: "bad-nonce" };
    const age = this.#clock.now() - issuedAt;
    if (age > this.lifetimeMs || age < -MAX_CLOCK_SKEW_MS) return { status: "stale-nonce" };
    return { status: "valid", issuedAt, expiresAt: issuedAt + this.lifetimeMs };
  }

  /** The issue time of a nonce this deployment signed; undefined for others. */
  #authenticate(nonce: string): number | undefined {
    if (!NONCE_PATTERN.test(nonce)) return undefined;
    const bytes = Buffer.from(nonce, "base64url");
    const expectedTag = this.#tag(bytes.subarray(0, SIGNED_BYTES));
    if (!timingSafeEqual(expectedTag, bytes.subarray(SIGNED_BYTES))) return undefined;
    return Number(bytes.readBigUInt64BE(0));
  }

  #tag(signed: Uint8Array): Buffer {
    return createHmac("sha256", this.#secret).update(signed).digest().subarray(0, TAG_BYTES);
  }
}
