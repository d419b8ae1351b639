// Random identifiers for branches, tags and Call-IDs. Bytes come from the
// system CSPRNG in batches, and are turned into text in batches too, so that
// making one costs neither a system call nor a call into Buffer.
//
// The text is lowercase hex, as Kamailio's and most SIP stacks' is: it cannot spell a
// header name. Test tools and devices that find a header by searching the message for
// its name (sipp looks for "CSeq" this way) misread a message whose To tag or Via branch
// happens to contain "CSeq" (in any letter case): with letters and digits, one tag in about
// 100,000.
import { randomBytes, randomFillSync } from "node:crypto";

const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
/** Bytes encoded per batch. */
const BATCH_BYTES = 96;
let chars = "";
let charsOffset = 0;

/** `bytes` random bytes as lowercase hex: two characters a byte, all token characters. */
export function randomToken(bytes: number): string {
  const length = bytes * 2;
  if (charsOffset + length > chars.length) {
    const batch = Math.max(BATCH_BYTES, bytes);
    if (batch > pool.length) return randomBytes(bytes).toString("hex");
    if (poolOffset + batch > pool.length) {
      randomFillSync(pool);
      poolOffset = 0;
    }
    chars = pool.toString("hex", poolOffset, poolOffset + batch);
    poolOffset += batch;
    charsOffset = 0;
  }
  const token = chars.slice(charsOffset, charsOffset + length);
  charsOffset += length;
  return token;
}
