import type { HeaderField } from "./message.js";

/** What could still be read from a message that failed to parse. */
export interface SipParseContext {
  /** true: the start line looked like a request; false: a response; undefined: unreadable. */
  readonly isRequest?: boolean | undefined;
  /** The request method, when the start line began with a method token. */
  readonly method?: string | undefined;
  /** The header fields, when the header section could be split into fields. */
  readonly headers?: readonly HeaderField[] | undefined;
}

export interface SipParseErrorOptions extends SipParseContext {
  /** Status for the answer: 400 (default), 505 Version Not Supported, 513 Message Too Large. */
  readonly status?: number;
  readonly cause?: unknown;
}

/**
 * A SIP message (or a part of one) that does not follow the grammar of
 * RFC 3261 §25. `reason` is short enough to be the reason phrase of the
 * response (`400 Missing Call-ID`); `status` is the response code to use.
 */
export class SipParseError extends Error {
  override readonly name = "SipParseError";
  readonly reason: string;
  readonly status: number;
  readonly isRequest: boolean | undefined;
  readonly method: string | undefined;
  readonly headers: readonly HeaderField[] | undefined;

  constructor(reason: string, options: SipParseErrorOptions = {}) {
    super(reason, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.status = options.status ?? 400;
    this.isRequest = options.isRequest;
    this.method = options.method;
    this.headers = options.headers;
  }

  /** The same error with what is known about the enclosing message attached. */
  withContext(context: SipParseContext): SipParseError {
    return new SipParseError(this.reason, { ...context, status: this.status, cause: this });
  }
}

/** Throws a SipParseError whose reason is `reason` (keeps call sites to one line). */
export function fail(reason: string, status?: number): never {
  throw new SipParseError(reason, status === undefined ? {} : { status });
}

/**
 * Runs `read` on the value of field `what`; a SipParseError from it becomes
 * "Bad <what>" (the inner error as its cause), so the reason names the field.
 */
export function readingField<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof SipParseError) throw new SipParseError(`Bad ${what}`, { cause: error });
    throw error;
  }
}
