// Typical messages from SIP phones, as tests and benchmarks use them. Each is a
// list of lines joined with CRLF; the empty string marks the end of the header
// section.

/** Joins lines with CRLF and encodes them as octets. */
export function sipBytes(lines: readonly string[]): Buffer {
  return Buffer.from(lines.join("\r\n"), "latin1");
}

const SDP_OFFER = [
  "v=0",
  "o=alice 2890844526 2890844526 IN IP4 192.0.2.101",
  "s=-",
  "c=IN IP4 192.0.2.101",
  "t=0 0",
  "m=audio 49172 RTP/AVP 0 8",
  "a=rtpmap:0 PCMU/8000",
  "a=rtpmap:8 PCMA/8000",
  "",
].join("\r\n");

/** An INVITE as a phone sends it to its proxy, with credentials and an SDP offer (~720 bytes). */
export const INVITE_LINES: readonly string[] = [
  "INVITE sip:bob@example.com SIP/2.0",
  "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK776asdhds;rport",
  "Max-Forwards: 70",
  "To: Bob <sip:bob@example.com>",
  'From: "Alice" <sip:alice@example.com>;tag=1928301774',
  "Call-ID: a84b4c76e66710@192.0.2.101",
  "CSeq: 314160 INVITE",
  "Contact: <sip:alice@192.0.2.101:5060;transport=udp>",
  'Proxy-Authorization: Digest username="alice", realm="example.com", ' +
    'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="sip:bob@example.com", ' +
    'response="6629fae49393a05397450978507c4ef1", algorithm=MD5',
  "Supported: replaces, timer",
  "Content-Type: application/sdp",
  `Content-Length: ${SDP_OFFER.length}`,
  "",
  SDP_OFFER,
];

/** A REGISTER with credentials and an outbound Contact (RFC 5626). */
export const REGISTER_LINES: readonly string[] = [
  "REGISTER sip:example.com SIP/2.0",
  "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bKnashds7;rport",
  "Max-Forwards: 70",
  "To: Alice <sip:alice@example.com>",
  "From: Alice <sip:alice@example.com>;tag=456248",
  "Call-ID: 843817637684230@998sdasdh09",
  "CSeq: 1826 REGISTER",
  'Contact: <sip:alice@192.0.2.101:5060>;expires=3600;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>";reg-id=1',
  'Authorization: Digest username="alice", realm="example.com", nonce="ea9c8e88df84f1cec4341ae6cbe5a359", ' +
    'uri="sip:example.com", response="dfe56131d1958046689d83306477ecc", algorithm=MD5',
  "User-Agent: Softphone/4.2",
  "Content-Length: 0",
  "",
  "",
];
