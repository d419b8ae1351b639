// JSON payloads of NATS messages.

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * UTF-8 JSON bytes of `value`. Buffer.from puts short messages in slices of Node's shared
 * pool, where TextEncoder would make an ArrayBuffer for each: at thousands of messages per
 * second those cost the garbage collector more than the encoding itself.
 */
export function encodeJson(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), "utf8");
}

/**
 * The value of UTF-8 JSON bytes.
 * @throws SyntaxError when the bytes are not valid UTF-8 JSON (TypeError for bad UTF-8).
 */
export function decodeJson(data: Uint8Array): unknown {
  return JSON.parse(decoder.decode(data));
}
