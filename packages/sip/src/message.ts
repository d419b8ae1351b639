// The SIP message model shared by the parser, the editor, the transaction layer
// and the transports. Parsed and built messages have the same shape; values a
// proxy rarely needs are parsed on first access and cached.
//
// Strings taken from messages are octet strings: every character is one byte of
// the wire format (the head is decoded as latin1), so text in UTF-8 appears as its
// octets and writing a string back gives the same bytes.

/**
 * A SIP or SIPS URI (RFC 3261 §19.1) or a TEL URI (RFC 3966). Any other
 * absoluteURI (RFC 3261 §25.1; e.g. "http:", "urn:") parses too, so that a message
 * naming one stays valid (RFC 4475 §3.3.2-3.3.4): its scheme is set, its text after
 * the colon is in `opaque`, host is empty and the other members are unset.
 */
export interface SipUri {
  /** Lower case. */
  readonly scheme: "sip" | "sips" | "tel" | (string & Record<never, never>);
  /** The user part with %-escapes decoded; for tel: the number. */
  readonly user: string | undefined;
  readonly password: string | undefined;
  /** Host in lower case; IPv6 references keep their brackets: "[2001:db8::1]". Empty for tel. */
  readonly host: string;
  readonly port: number | undefined;
  /** URI parameters, names in lower case; a parameter without a value maps to null. */
  readonly params: ReadonlyMap<string, string | null>;
  /** URI headers (after "?"), decoded. */
  readonly headers: ReadonlyMap<string, string>;
  /** For schemes other than sip, sips and tel: the text after "scheme:" as written. */
  readonly opaque?: string | undefined;
}

/** name-addr or addr-spec with its header parameters (From, To, Contact, Route, …). */
export interface NameAddr {
  readonly displayName: string | undefined;
  readonly uri: SipUri;
  /** The URI exactly as written. */
  readonly uriText: string;
  /** Header parameters (tag, q, expires, lr, …), names in lower case. */
  readonly params: ReadonlyMap<string, string | null>;
}

/** One Via value (RFC 3261 §20.42, RFC 3581). */
export interface Via {
  /** "SIP/2.0". */
  readonly protocol: string;
  /** Transport in upper case: "UDP", "TCP", "TLS", … */
  readonly transport: string;
  /** sent-by host in lower case, IPv6 with brackets. */
  readonly host: string;
  readonly port: number | undefined;
  readonly branch: string | undefined;
  readonly received: string | undefined;
  /** RFC 3581: undefined when absent, null when present without a value. */
  readonly rport: number | null | undefined;
  /** All parameters, names in lower case (branch, received, rport, maddr, ttl, extensions). */
  readonly params: ReadonlyMap<string, string | null>;
}

export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

/** Contact header contents: "*" or a list of name-addrs (RFC 3261 §20.10). */
export type ContactList =
  | { readonly star: true }
  | { readonly star: false; readonly contacts: readonly NameAddr[] };

/** A header field as received or built: the name as written and the raw (unfolded) value. */
export interface HeaderField {
  readonly name: string;
  readonly value: string;
}

interface SipMessageCommon {
  /** Every header field in order; repeated headers appear repeatedly. */
  readonly headers: readonly HeaderField[];
  /** First value of a header, looked up case-insensitively with compact forms ("v" = "Via"). */
  header(name: string): string | undefined;
  /** All values of a header: repeated headers and comma-separated lists, in order. */
  headerValues(name: string): string[];
  readonly callId: string;
  readonly cseq: CSeq;
  readonly from: NameAddr;
  readonly to: NameAddr;
  /** Via values, topmost first. */
  readonly vias: readonly Via[];
  readonly body: Buffer;
  /** The message as it goes on the wire. Untouched headers and the body are byte-exact. */
  toBuffer(): Buffer;
}

export interface SipRequest extends SipMessageCommon {
  readonly kind: "request";
  readonly method: string;
  readonly uri: SipUri;
  /** The Request-URI exactly as written. */
  readonly uriText: string;
  /** undefined when the request has no Max-Forwards header (RFC 3261 §16.6 step 3 adds one). */
  readonly maxForwards: number | undefined;
}

export interface SipResponse extends SipMessageCommon {
  readonly kind: "response";
  readonly status: number;
  readonly reason: string;
}

export type SipMessage = SipRequest | SipResponse;
