import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLogger } from "@switchboard/kit";
import {
  type Destination,
  parseMessage,
  type RequestDisposition,
  type SipRequest,
  type SipResponse,
} from "@switchboard/sip";
import { SipEndpoint } from "./sip-endpoint.js";
import { RecordingMetrics } from "./testing/unit-support.js";

const SOURCE: Destination = { transport: "UDP", host: "198.51.100.7", port: 40000 };

function datagram(lines: readonly string[]): Buffer {
  return Buffer.from([...lines, "", ""].join("\r\n"), "latin1");
}

const OPTIONS = [
  "OPTIONS sip:example.com SIP/2.0",
  "Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKabc;rport",
  "Max-Forwards: 70",
  "From: <sip:alice@example.com>;tag=1",
  "To: <sip:example.com>",
  "Call-ID: ep-1",
  "CSeq: 1 OPTIONS",
  "Content-Length: 0",
];

function endpoint(disposition: RequestDisposition = "new-transaction") {
  const requests: SipRequest[] = [];
  const responses: SipResponse[] = [];
  const sent: { data: Buffer; destination: Destination }[] = [];
  const metrics = new RecordingMetrics();
  const sip = new SipEndpoint({
    transactions: {
      handleRequest: (request) => {
        requests.push(request);
        return disposition;
      },
      handleResponse: (response) => {
        responses.push(response);
        return "matched";
      },
    },
    send: (data, destination) => sent.push({ data, destination }),
    metrics,
    logger: createLogger({ service: "test", level: "silent" }),
  });
  return { sip, requests, responses, sent, metrics };
}

describe("SipEndpoint", () => {
  it("MUST stamp received and rport on the top Via of a request (RFC 3261 §18.2.1, RFC 3581)", () => {
    const { sip, requests, metrics } = endpoint();
    sip.receive(datagram(OPTIONS), SOURCE);
    const [via] = requests[0]?.vias ?? [];
    assert.equal(via?.received, "198.51.100.7");
    assert.equal(via?.rport, 40000);
    assert.deepEqual(metrics.requests, ["OPTIONS"]);
  });

  it("remembers the datagram size of each request for the length check", () => {
    const { sip, requests } = endpoint();
    const data = datagram(OPTIONS);
    sip.receive(data, SOURCE);
    assert.equal(sip.sizeOf(requests[0] as SipRequest), data.length);
  });

  it("hands responses to the transaction layer unchanged", () => {
    const { sip, responses } = endpoint();
    const response = [
      "SIP/2.0 180 Ringing",
      "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKsb1",
      "From: <sip:alice@example.com>;tag=1",
      "To: <sip:bob@example.com>;tag=2",
      "Call-ID: ep-2",
      "CSeq: 1 INVITE",
      "Content-Length: 0",
    ];
    sip.receive(datagram(response), SOURCE);
    assert.equal(responses[0]?.status, 180);
    assert.equal(responses[0]?.vias[0]?.received, undefined);
  });

  it("MUST answer 400 with the reason to a malformed request whose Via, From, To, Call-ID and CSeq read", () => {
    const { sip, sent, requests, metrics } = endpoint();
    sip.receive(
      datagram(OPTIONS.map((line) => (line.startsWith("Max-Forwards") ? "Max-Forwards: x" : line))),
      SOURCE,
    );
    assert.equal(requests.length, 0);
    const answer = parseMessage(sent[0]?.data ?? Buffer.alloc(0)) as SipResponse;
    assert.equal(answer.status, 400);
    assert.match(answer.reason, /Max-Forwards/);
    assert.deepEqual(sent[0]?.destination, SOURCE, "rport: back to the source port");
    assert.equal(metrics.parseErrors, 1);
    assert.deepEqual(metrics.responses, [400]);
  });

  it("drops and counts a datagram that is not SIP, and serves the next one", () => {
    const { sip, sent, requests, metrics } = endpoint();
    sip.receive(Buffer.from("\x16\x03\x01 not sip at all", "latin1"), SOURCE);
    sip.receive(datagram(OPTIONS), SOURCE);
    assert.equal(sent.length, 0);
    assert.deepEqual(metrics.drops, ["unparseable"]);
    assert.equal(requests.length, 1);
  });

  it("ignores NAT keepalives (CRLF, blanks, NULs, empty): no answer, no parse error, counted", () => {
    const { sip, sent, requests, metrics } = endpoint();
    for (const keepalive of ["\r\n\r\n", "\r\n", " ", "\0\0\0\0", ""]) {
      sip.receive(Buffer.from(keepalive, "latin1"), SOURCE);
    }
    sip.receive(datagram(OPTIONS), SOURCE);
    assert.equal(sent.length, 0);
    assert.equal(metrics.parseErrors, 0);
    assert.deepEqual(metrics.drops, Array(5).fill("keepalive"));
    assert.equal(requests.length, 1);
  });

  it("never answers a malformed response or ACK", () => {
    const { sip, sent } = endpoint();
    sip.receive(datagram(["SIP/2.0 200 OK", "Via: SIP/2.0/UDP 10.0.0.5", "CSeq: x"]), SOURCE);
    const ack = OPTIONS.map((line) => line.replace("OPTIONS", "ACK")).map((line) =>
      line.startsWith("Max-Forwards") ? "Max-Forwards: x" : line,
    );
    sip.receive(datagram(ack), SOURCE);
    assert.equal(sent.length, 0);
  });

  it("counts requests the transaction layer cannot match", () => {
    const { sip, metrics } = endpoint("unmatchable");
    sip.receive(datagram(OPTIONS), SOURCE);
    assert.deepEqual(metrics.drops, ["unmatchable"]);
  });
});
