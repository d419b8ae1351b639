// Before the SIP port opens, a few thousand typical messages go through the SIP code the
// proxy runs for every request: parsing, header fields, digest credentials, responses and
// forwarding edits. V8 runs a function in its interpreter until the function has been used
// enough to be compiled; without this, a freshly started edge that is sent its share of a
// busy cluster at once (a rolling restart) answers its first seconds of requests several
// times slower than a warm one, and its queue takes seconds to drain. No socket, timer or
// state is touched: the work is thrown away.

import {
  createResponse,
  createVia,
  editMessage,
  getContacts,
  getExpires,
  getPath,
  getRoutes,
  parseDigestCredentials,
  parseMessage,
  type SipMessage,
  type SipRequest,
} from "@switchboard/sip";

const CRLF = "\r\n";

function wire(lines: readonly string[], body = ""): Buffer {
  const head = [...lines, `Content-Length: ${Buffer.byteLength(body)}`].join(CRLF);
  return Buffer.from(`${head}${CRLF}${CRLF}${body}`, "latin1");
}

const DIGEST =
  'Digest username="1000",realm="example.test",nonce="AAAAAGkMWJ2zZ6cYJ3r2vq0a1b2c3d4e5f6a7b8",' +
  'uri="sip:example.test",response="0123456789abcdef0123456789abcdef",algorithm=MD5,' +
  'cnonce="6b8b4567",qop=auth,nc=00000001';

const REGISTER = wire([
  "REGISTER sip:example.test SIP/2.0",
  "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK-74bf9;rport",
  "Max-Forwards: 70",
  "From: <sip:1000@example.test>;tag=9fxced76sl",
  "To: <sip:1000@example.test>",
  "Call-ID: 3848276298220188511@192.0.2.10",
  "CSeq: 2 REGISTER",
  "Contact: <sip:1000@192.0.2.10:5062;transport=udp>;expires=3600",
  "Expires: 3600",
  `Authorization: ${DIGEST}`,
  "User-Agent: softphone/1.0",
]);

const SDP = [
  "v=0",
  "o=1000 2890844526 2890844526 IN IP4 192.0.2.10",
  "s=-",
  "c=IN IP4 192.0.2.10",
  "t=0 0",
  "m=audio 49170 RTP/AVP 0 8 101",
  "a=rtpmap:0 PCMU/8000",
  "a=rtpmap:101 telephone-event/8000",
  "",
].join(CRLF);

const INVITE = wire(
  [
    "INVITE sip:1001@example.test SIP/2.0",
    "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK-776asdhds;rport",
    "Max-Forwards: 70",
    'From: "Alice" <sip:1000@example.test>;tag=1928301774',
    "To: <sip:1001@example.test>",
    "Call-ID: a84b4c76e66710@192.0.2.10",
    "CSeq: 2 INVITE",
    "Contact: <sip:1000@192.0.2.10:5062>",
    `Proxy-Authorization: ${DIGEST.replace("sip:example.test", "sip:1001@example.test")}`,
    "Content-Type: application/sdp",
  ],
  SDP,
);

const RINGING = wire([
  "SIP/2.0 180 Ringing",
  "Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK-proxy-1",
  "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK-776asdhds;rport=5062;received=192.0.2.10",
  "Record-Route: <sip:198.51.100.1:5060;lr;sbd=5f0c1a3b9e2d4c6a8b7e9f10>",
  'From: "Alice" <sip:1000@example.test>;tag=1928301774',
  "To: <sip:1001@example.test>;tag=a6c85cf",
  "Call-ID: a84b4c76e66710@192.0.2.10",
  "CSeq: 2 INVITE",
  "Contact: <sip:1001@192.0.2.20:5064>",
]);

const BYE = wire([
  "BYE sip:1001@192.0.2.20:5064 SIP/2.0",
  "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK-776asdhdt;rport",
  "Max-Forwards: 70",
  "Route: <sip:198.51.100.1:5060;lr;sbd=5f0c1a3b9e2d4c6a8b7e9f10>",
  'From: "Alice" <sip:1000@example.test>;tag=1928301774',
  "To: <sip:1001@example.test>;tag=a6c85cf",
  "Call-ID: a84b4c76e66710@192.0.2.10",
  "CSeq: 3 BYE",
]);

/** What the endpoint does to every message: the source's address in the top Via (§18.2.1). */
function received(data: Buffer): SipMessage {
  const message = parseMessage(data);
  return editMessage(message).setViaReceived("192.0.2.10", 5062).toMessage();
}

function request(data: Buffer): SipRequest {
  const message = received(data);
  if (message.kind !== "request") throw new Error("a warm-up request parsed as a response");
  return message;
}

/** A REGISTER challenged, then authenticated and answered with its bindings. */
function register(): number {
  const message = request(REGISTER);
  const credentials = parseDigestCredentials(message.header("Authorization") ?? "");
  const contacts = getContacts(message);
  const bindings = contacts === undefined || contacts.star ? [] : contacts.contacts;
  const expires = getExpires(message) ?? 0;
  getPath(message);
  const challenge = createResponse(message, 401, undefined, {
    headers: [{ name: "WWW-Authenticate", value: `Digest realm="${credentials.realm}"` }],
  });
  const ok = createResponse(message, 200, undefined, {
    headers: bindings.map((binding) => ({
      name: "Contact",
      value: `<${binding.uriText}>;expires=${expires}`,
    })),
  });
  return challenge.toBuffer().length + ok.toBuffer().length + message.cseq.seq;
}

/** An INVITE challenged, then forwarded; its provisional response relayed back; a BYE routed. */
function call(): number {
  const invite = request(INVITE);
  const credentials = parseDigestCredentials(invite.header("Proxy-Authorization") ?? "");
  const trying = createResponse(invite, 100);
  const challenge = createResponse(invite, 407, undefined, {
    headers: [{ name: "Proxy-Authenticate", value: `Digest realm="${credentials.realm}"` }],
  });
  const via = createVia({
    transport: "UDP",
    host: "198.51.100.1",
    port: 5060,
    branch: "z9hG4bK-w",
  });
  const forwarded = editMessage(invite)
    .setRequestUri("sip:1001@192.0.2.20:5064")
    .setMaxForwards((invite.maxForwards ?? 70) - 1)
    .removeHeaders("Proxy-Authorization")
    .addRecordRoute("<sip:198.51.100.1:5060;lr;sbd=5f0c1a3b9e2d4c6a8b7e9f10>")
    .pushVia(via)
    .toMessage();
  const ringing = parseMessage(RINGING);
  const relayed = editMessage(ringing).popVia().toMessage();
  const bye = request(BYE);
  const routes = getRoutes(bye);
  const routed = editMessage(bye).removeHeaders("Route").pushVia(via).toMessage();
  return (
    trying.toBuffer().length +
    challenge.toBuffer().length +
    forwarded.toBuffer().length +
    relayed.toBuffer().length +
    routed.toBuffer().length +
    routes.length
  );
}

/**
 * Runs `rounds` rounds of a registration and a call through the SIP code; returns a number
 * made of their results, so that none of the work can be left out as unused.
 */
export function warmUpSipCode(rounds: number): number {
  let sum = 0;
  for (let round = 0; round < rounds; round++) sum += register() + call();
  return sum;
}
