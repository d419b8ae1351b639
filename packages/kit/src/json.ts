// JSON payloads of NATS messages.

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** UTF-8 JSON bytes of `value`. */
export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/**
 * The value of UTF-8 JSON bytes.
 * @throws SyntaxError when the bytes are not valid UTF-8 JSON (TypeError for bad UTF-8).
 */
export function decodeJson(data: Uint8Array): unknown {
  return JSON.parse(decoder.decode(data));
}
