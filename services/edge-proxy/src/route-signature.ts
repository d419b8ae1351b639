// The signature this proxy puts in its Record-Route, bound to the dialog's Call-ID, so that
// an in-dialog request is relayed along a Route only when this proxy wrote that Route for
// that dialog. Without it anyone could forge an in-dialog request (a made-up To tag and a
// Route naming this proxy) and have it relayed anywhere, unauthenticated: an open relay.

import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from "node:crypto";

/** The Record-Route URI parameter carrying the signature. */
export const ROUTE_SIGNATURE_PARAM = "sbd";

/**
 * Hex characters kept from the HMAC: 96 bits. Hex, like the proxy's tags and branches
 * (see the sip package's random tokens): the Record-Route goes on top of the request, and
 * text there must not spell a header name for a peer that finds headers by searching.
 */
const SIGNATURE_LENGTH = 24;

export class RouteSigner {
  readonly #key: KeyObject;

  /** `secret`: ROUTE_SECRET, the same on every edge instance. */
  constructor(secret: string) {
    if (secret === "") throw new RangeError("the route signing secret must not be empty");
    this.#key = createSecretKey(Buffer.from(secret, "utf8"));
  }

  /**
   * The signature of a dialog's Record-Route. RFC 3261 §12.1: the Call-ID is the same in
   * both directions of a dialog and in every request of it.
   */
  sign(callId: string): string {
    return createHmac("sha256", this.#key)
      .update(callId, "utf8")
      .digest("hex")
      .slice(0, SIGNATURE_LENGTH);
  }

  /** True when `signature` is this proxy's for `callId`; compared in constant time. */
  verify(callId: string, signature: string | null | undefined): boolean {
    if (typeof signature !== "string" || signature.length !== SIGNATURE_LENGTH) return false;
    const expected = Buffer.from(this.sign(callId), "latin1");
    const given = Buffer.from(signature, "latin1");
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
