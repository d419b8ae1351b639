// Errors of NATS request/reply. A caller maps them to a SIP answer: every one but
// RpcInvalidRequestError means "the dependency did not answer usefully" (503/500).

import type { ErrorCode } from "@switchboard/contracts";

/** Base class of every request/reply failure. */
export class RpcError extends Error {
  override name = "RpcError";
  constructor(
    message: string,
    /** The subject the request went to. */
    readonly subject: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The payload did not match the request schema; nothing was sent (a bug in the caller). */
export class RpcInvalidRequestError extends RpcError {
  override name = "RpcInvalidRequestError";
}

/** Responders exist but none answered within the timeout. */
export class RpcTimeoutError extends RpcError {
  override name = "RpcTimeoutError";
  constructor(
    subject: string,
    readonly timeoutMs: number,
    options?: ErrorOptions,
  ) {
    super(`no reply on ${subject} within ${timeoutMs} ms`, subject, options);
  }
}

/** Nobody subscribes to the subject: the service is not running (NATS told us at once). */
export class RpcNoRespondersError extends RpcError {
  override name = "RpcNoRespondersError";
  constructor(subject: string, options?: ErrorOptions) {
    super(`no responders on ${subject}`, subject, options);
  }
}

/** The request could not be sent or answered for a connection reason (closed, draining, …). */
export class RpcTransportError extends RpcError {
  override name = "RpcTransportError";
}

/** The responder answered with the common error reply. */
export class RpcRemoteError extends RpcError {
  override name = "RpcRemoteError";
  constructor(
    subject: string,
    /** The reply's error code: `bad-request`, `unavailable` or `internal`. */
    readonly code: ErrorCode,
    /** The reply's message. */
    readonly remoteMessage: string,
  ) {
    super(`${subject} answered ${code}: ${remoteMessage}`, subject);
  }
}

/** The reply was not JSON, or matched neither the response schema nor the error reply. */
export class RpcInvalidReplyError extends RpcError {
  override name = "RpcInvalidReplyError";
}
