import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type Destination,
  parseMessage,
  type SipRequest,
  type SipResponse,
} from "@switchboard/sip";
import { signedRoute, sipMessage, sipRequest, testRouteDeps } from "../testing/unit-support.js";
import { StatelessForwarder } from "./stateless.js";

const SOURCE: Destination = { transport: "UDP", host: "198.51.100.7", port: 5060 };

function forwarder() {
  const sent: { data: Buffer; destination: Destination }[] = [];
  const stateless = new StatelessForwarder({
    routeDeps: testRouteDeps(),
    resolve: (nextHop) =>
      "address" in nextHop
        ? nextHop.address
        : { transport: "UDP", host: nextHop.uri.host, port: nextHop.uri.port ?? 5060 },
    send: (data, destination) => sent.push({ data, destination }),
  });
  return { stateless, sent };
}

const ACK_FOR_2XX = [
  "From: <sip:alice@example.com>;tag=f",
  "To: <sip:bob@example.com>;tag=t",
  "CSeq: 1 ACK",
  `Route: ${signedRoute()}`,
];

describe("StatelessForwarder (RFC 3261 §16.11)", () => {
  it("forwards the ACK for a 2xx along the Route set with its own Via", async () => {
    const { stateless, sent } = forwarder();
    const dropped = await stateless.forwardAck(
      sipRequest("ACK", "sip:bob@10.0.0.5:5062", ACK_FOR_2XX),
      SOURCE,
    );
    assert.equal(dropped, undefined);
    const ack = parseMessage(sent[0]?.data ?? Buffer.alloc(0)) as SipRequest;
    assert.deepEqual(sent[0]?.destination, { transport: "UDP", host: "10.0.0.5", port: 5062 });
    assert.equal(ack.header("Route"), undefined);
    assert.equal(ack.vias.length, 2);
    assert.equal(ack.vias[0]?.host, "192.0.2.1");
  });

  it("MUST give a retransmitted ACK the same branch", async () => {
    const { stateless, sent } = forwarder();
    const ack = sipRequest("ACK", "sip:bob@10.0.0.5", ACK_FOR_2XX);
    await stateless.forwardAck(ack, SOURCE);
    await stateless.forwardAck(ack, SOURCE);
    const [first, second] = sent.map(
      ({ data }) => (parseMessage(data) as SipRequest).vias[0]?.branch,
    );
    assert.ok(first?.startsWith("z9hG4bK"));
    assert.equal(first, second);
  });

  it("drops an ACK that does not carry this proxy's Route", async () => {
    const { stateless, sent } = forwarder();
    const ack = sipRequest("ACK", "sip:bob@10.0.0.5", ACK_FOR_2XX.slice(0, 3));
    assert.equal(await stateless.forwardAck(ack, SOURCE), "stray-ack");
    assert.equal(sent.length, 0);
  });

  it("MUST drop an ACK whose Route names this proxy without our signature for the dialog", async () => {
    const { stateless, sent } = forwarder();
    const forged = [...ACK_FOR_2XX.slice(0, 3), "Route: <sip:192.0.2.1:5060;lr>"];
    const ack = sipRequest("ACK", "sip:victim@203.0.113.9", forged);
    assert.equal(await stateless.forwardAck(ack, SOURCE), "stray-ack");
    assert.equal(sent.length, 0);
  });

  it("forwards a stray 2xx to INVITE through our Via to the next Via", () => {
    const { stateless, sent } = forwarder();
    const response = sipMessage("SIP/2.0 200 OK", [
      "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKsb0123456789abcdef.xyz",
      "Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKcaller;received=198.51.100.7;rport=40000",
      "From: <sip:alice@example.com>;tag=f",
      "To: <sip:bob@example.com>;tag=t",
      "Call-ID: c",
      "CSeq: 1 INVITE",
    ]) as SipResponse;
    assert.equal(stateless.forwardStrayResponse(response), undefined);
    assert.deepEqual(sent[0]?.destination, { transport: "UDP", host: "198.51.100.7", port: 40000 });
    assert.equal((parseMessage(sent[0]?.data ?? Buffer.alloc(0)) as SipResponse).vias.length, 1);
  });

  it("drops stray responses that are not 2xx to INVITE or not through our Via", () => {
    const { stateless, sent } = forwarder();
    const lines = (status: string, topVia: string) =>
      sipMessage(status, [
        `Via: ${topVia}`,
        "Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKcaller",
        "From: <sip:alice@example.com>;tag=f",
        "To: <sip:bob@example.com>;tag=t",
        "Call-ID: c",
        "CSeq: 1 INVITE",
      ]) as SipResponse;
    const ours = "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKsb0123456789abcdef.xyz";
    assert.equal(
      stateless.forwardStrayResponse(lines("SIP/2.0 486 Busy Here", ours)),
      "stray-response",
    );
    const theirs = "SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bKother";
    assert.equal(stateless.forwardStrayResponse(lines("SIP/2.0 200 OK", theirs)), "stray-response");
    assert.equal(sent.length, 0);
  });
});
