// Response times on the wire: pcap files read back, and requests matched to the proxy's final
// responses by peer, Call-ID and CSeq; a live capture on lo where dumpcap can make one.

import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { readFile, rm } from "node:fs/promises";
import { describe, it } from "node:test";
import { freeUdpPort, LOOPBACK } from "./free-port.js";
import { udpDatagramsOf } from "./pcap.js";
import { responseTimes, startWireCapture, wireCaptureUnavailable } from "./wire-capture.js";

const PROXY = 5060;

interface Packet {
  readonly timeUs: number;
  readonly from: number;
  readonly to: number;
  readonly payload: string;
  /** IP protocol; 17 (UDP) unless set. */
  readonly protocol?: number;
  /** Bytes of the frame left out of the record, as a short snapshot length does. */
  readonly cut?: number;
}

function ethernetFrame({ from, to, payload, protocol = 17 }: Packet): Buffer {
  const body = Buffer.from(payload, "latin1");
  const ethernet = Buffer.alloc(14);
  ethernet.writeUInt16BE(0x0800, 12);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + 8 + body.length, 2);
  ip[9] = protocol;
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(from, 0);
  udp.writeUInt16BE(to, 2);
  udp.writeUInt16BE(8 + body.length, 4);
  return Buffer.concat([ethernet, ip, udp, body]);
}

/** A classic pcap file of Ethernet frames, little-endian, with micro- or nanosecond times. */
function pcapFile(packets: readonly Packet[], nanoseconds = false): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  const records = packets.map((packet) => {
    const frame = ethernetFrame(packet);
    const captured = frame.subarray(0, frame.length - (packet.cut ?? 0));
    const record = Buffer.alloc(16);
    record.writeUInt32LE(Math.floor(packet.timeUs / 1e6), 0);
    const fraction = packet.timeUs % 1e6;
    record.writeUInt32LE(nanoseconds ? fraction * 1000 : fraction, 4);
    record.writeUInt32LE(captured.length, 8);
    record.writeUInt32LE(frame.length, 12);
    return Buffer.concat([record, captured]);
  });
  return Buffer.concat([header, ...records]);
}

/** A message of one transaction: `startLine`, then the fields that name it. */
function message(startLine: string, method: string, callId: string, seq: number): string {
  return [
    startLine,
    "Via: SIP/2.0/UDP 127.0.0.1:5000;branch=z9hG4bK-1",
    "Max-Forwards: 70",
    "From: <sip:alice@example.test>;tag=1",
    "To: <sip:alice@example.test>",
    `Call-ID: ${callId}`,
    `CSeq: ${seq} ${method}`,
    "Content-Length: 0",
    "",
    "",
  ].join("\r\n");
}

const request = (method: string, callId: string, seq: number) =>
  message(`${method} sip:example.test SIP/2.0`, method, callId, seq);

const response = (status: number, method: string, callId: string, seq: number) =>
  message(`SIP/2.0 ${status} Whatever`, method, callId, seq);

describe("udpDatagramsOf", () => {
  it("MUST return each UDP datagram with its ports, payload and capture time", () => {
    const packets = [
      { timeUs: 1_700_000_000_000_250, from: 5000, to: PROXY, payload: "first" },
      { timeUs: 1_700_000_001_999_999, from: PROXY, to: 5000, payload: "second" },
    ];
    for (const nanoseconds of [false, true]) {
      const datagrams = udpDatagramsOf(pcapFile(packets, nanoseconds));
      assert.deepEqual(
        datagrams.map((d) => [d.timeUs, d.sourcePort, d.destinationPort, d.payload.toString()]),
        [
          [1_700_000_000_000_250, 5000, PROXY, "first"],
          [1_700_000_001_999_999, PROXY, 5000, "second"],
        ],
      );
    }
  });

  it("MUST leave out packets of other protocols and packets cut short by the snapshot", () => {
    const datagrams = udpDatagramsOf(
      pcapFile([
        { timeUs: 1, from: 4222, to: 40000, payload: "tcp", protocol: 6 },
        { timeUs: 2, from: 5000, to: PROXY, payload: "cut short", cut: 3 },
        { timeUs: 3, from: 5000, to: PROXY, payload: "whole" },
      ]),
    );
    assert.deepEqual(
      datagrams.map((d) => d.payload.toString()),
      ["whole"],
    );
  });

  it("MUST refuse a file that is not pcap", () => {
    assert.throws(() => udpDatagramsOf(Buffer.alloc(24)), /not a pcap file/);
    assert.throws(() => udpDatagramsOf(Buffer.alloc(3)), /not a pcap file/);
  });
});

describe("responseTimes", () => {
  it("MUST time each request from its first transmission to the proxy's first final response", () => {
    const datagrams = udpDatagramsOf(
      pcapFile([
        { timeUs: 1000, from: 5000, to: PROXY, payload: request("REGISTER", "a", 1) },
        // A retransmission does not restart the clock.
        { timeUs: 1500, from: 5000, to: PROXY, payload: request("REGISTER", "a", 1) },
        { timeUs: 3000, from: PROXY, to: 5000, payload: response(401, "REGISTER", "a", 1) },
        // Nor does a retransmitted response count again.
        { timeUs: 9000, from: PROXY, to: 5000, payload: response(401, "REGISTER", "a", 1) },
        { timeUs: 10_000, from: 5000, to: PROXY, payload: request("REGISTER", "a", 2) },
        { timeUs: 10_500, from: 5000, to: PROXY, payload: "garbage\r\n\r\n" },
        { timeUs: 14_250, from: PROXY, to: 5000, payload: response(200, "REGISTER", "a", 2) },
      ]),
    );
    assert.deepEqual(
      responseTimes(datagrams, PROXY),
      new Map([
        ["REGISTER→401", [2]],
        ["REGISTER→200", [4.25]],
      ]),
    );
  });

  it("MUST NOT time provisional responses, ACKs, or the proxy's own requests to a callee", () => {
    const datagrams = udpDatagramsOf(
      pcapFile([
        { timeUs: 0, from: 5000, to: PROXY, payload: request("INVITE", "c", 1) },
        { timeUs: 500, from: PROXY, to: 5000, payload: response(100, "INVITE", "c", 1) },
        { timeUs: 700, from: PROXY, to: 6000, payload: request("INVITE", "c", 1) },
        { timeUs: 900, from: 6000, to: PROXY, payload: response(200, "INVITE", "c", 1) },
        { timeUs: 1000, from: PROXY, to: 5000, payload: response(200, "INVITE", "c", 1) },
        { timeUs: 1100, from: 5000, to: PROXY, payload: request("ACK", "c", 1) },
      ]),
    );
    assert.deepEqual(responseTimes(datagrams, PROXY), new Map([["INVITE→200", [1]]]));
  });
});

/** Captures on `port` while `datagrams` are sent to it, then stops the capture. */
async function captureWhileSending(port: number, datagrams: readonly string[], keep: boolean) {
  const capture = await startWireCapture(port);
  const socket = createSocket("udp4");
  try {
    for (const datagram of datagrams) {
      await new Promise<void>((resolve, reject) =>
        socket.send(datagram, port, LOOPBACK, (error) => (error ? reject(error) : resolve())),
      );
    }
  } finally {
    socket.close();
  }
  return capture.stop(keep);
}

describe("startWireCapture", { skip: wireCaptureUnavailable() }, () => {
  it("MUST return every datagram of its port, the last ones too, and keep the file when asked", async () => {
    const port = await freeUdpPort();
    const payloads = ["first", "second", "third"];
    const deleted = await captureWhileSending(port, payloads, false);
    assert.deepEqual(
      deleted.datagrams.map((datagram) => datagram.payload.toString()),
      payloads,
    );
    assert.equal(deleted.keptAs, undefined);

    const kept = await captureWhileSending(port, payloads, true);
    assert.ok(kept.keptAs !== undefined, "the file is kept");
    try {
      const fromFile = udpDatagramsOf(await readFile(kept.keptAs));
      assert.deepEqual(
        fromFile
          .filter((datagram) => datagram.destinationPort === port)
          .map((datagram) => datagram.payload.toString()),
        payloads,
      );
    } finally {
      await rm(kept.keptAs);
    }
  });
});
