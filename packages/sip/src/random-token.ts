// Random identifiers for branches, tags and Call-IDs. Bytes come from the
// system CSPRNG in batches, so that making one costs no system call.
import { randomFillSync } from "node:crypto";

const pool = Buffer.alloc(4096);
let offset = pool.length;

/** `bytes` random bytes as base64url: letters, digits, "-" and "_", all token characters. */
export function randomToken(bytes: number): string {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const token = pool.toString("base64url", offset, offset + bytes);
  offset += bytes;
  return token;
}
