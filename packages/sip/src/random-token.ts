// Random identifiers for branches, tags and Call-IDs. Bytes come from the
// system CSPRNG in batches, and are turned into text in batches too, so that
// making one costs neither a system call nor a call into Buffer.
import { randomBytes, randomFillSync } from "node:crypto";

const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
/** Bytes encoded per batch: each base64url character carries 6 random bits. */
const BATCH_BYTES = 96;
let chars = "";
let charsOffset = 0;

/** `bytes` random bytes as base64url: letters, digits, "-" and "_", all token characters. */
export function randomToken(bytes: number): string {
  // Whole characters only: 3 bytes make 4 characters.
  const length = Math.ceil((bytes * 4) / 3);
  if (charsOffset + length > chars.length) {
    const batch = Math.max(BATCH_BYTES, Math.ceil(bytes / 3) * 3);
    if (batch > pool.length) return randomBytes(bytes).toString("base64url");
    if (poolOffset + batch > pool.length) {
      randomFillSync(pool);
      poolOffset = 0;
    }
    chars = pool.toString("base64url", poolOffset, poolOffset + batch);
    poolOffset += batch;
    charsOffset = 0;
  }
  const token = chars.slice(charsOffset, charsOffset + length);
  charsOffset += length;
  return token;
}
