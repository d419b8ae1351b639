import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { once } from "node:events";
import { after, before, describe, it } from "node:test";
import type { Destination } from "./transport-address.js";
import { DatagramTooLargeError, isKeepAlive, UdpTransport } from "./transport-udp.js";

interface Received {
  data: Buffer;
  source: Destination;
}

describe("UdpTransport", () => {
  let transport: UdpTransport;
  const inbox: Received[] = [];
  let waiter: (() => void) | undefined;

  const nextDatagram = async (): Promise<Received> => {
    while (inbox.length === 0) {
      await new Promise<void>((resolve) => {
        waiter = resolve;
      });
    }
    return inbox.shift() as Received;
  };

  before(async () => {
    transport = await UdpTransport.listen({
      host: "127.0.0.1",
      port: 0,
      maxDatagramBytes: 1000,
      onDatagram: (data, source) => {
        inbox.push({ data, source });
        waiter?.();
      },
    });
  });
  after(() => transport.close());

  it("binds a free port when asked for port 0", () => {
    assert.equal(transport.address.host, "127.0.0.1");
    assert.ok(transport.address.port > 0);
  });

  it("delivers a datagram with its source address", async () => {
    const peer = createSocket("udp4");
    peer.bind(0, "127.0.0.1");
    await once(peer, "listening");
    peer.send("OPTIONS sip:x SIP/2.0\r\n\r\n", transport.address.port, "127.0.0.1");
    const got = await nextDatagram();
    assert.equal(got.data.toString(), "OPTIONS sip:x SIP/2.0\r\n\r\n");
    assert.deepEqual(got.source, {
      transport: "UDP",
      host: "127.0.0.1",
      port: peer.address().port,
    });
    peer.close();
  });

  it("ignores CRLF keep-alives and still delivers the next datagram", async () => {
    const peer = createSocket("udp4");
    peer.send("\r\n\r\n", transport.address.port, "127.0.0.1");
    peer.send("\r\n", transport.address.port, "127.0.0.1");
    peer.send("REAL", transport.address.port, "127.0.0.1");
    const got = await nextDatagram();
    assert.equal(got.data.toString(), "REAL");
    peer.close();
  });

  it("sends a datagram to a destination", async () => {
    const peer = createSocket("udp4");
    peer.bind(0, "127.0.0.1");
    await once(peer, "listening");
    transport.send(Buffer.from("SIP/2.0 200 OK\r\n\r\n"), {
      transport: "UDP",
      host: "127.0.0.1",
      port: peer.address().port,
    });
    const [data, info] = (await once(peer, "message")) as [Buffer, { port: number }];
    assert.equal(data.toString(), "SIP/2.0 200 OK\r\n\r\n");
    assert.equal(info.port, transport.address.port, "replies come from the listening port");
    peer.close();
  });

  it("refuses a message larger than the datagram limit (RFC 3261 §18.1.1)", () => {
    assert.throws(
      () => transport.send(Buffer.alloc(1001), { transport: "UDP", host: "127.0.0.1", port: 9 }),
      (error: unknown) =>
        error instanceof DatagramTooLargeError && error.size === 1001 && error.limit === 1000,
    );
  });
});

describe("isKeepAlive", () => {
  it("recognises CRLF-only datagrams and nothing else", () => {
    assert.equal(isKeepAlive(Buffer.from("\r\n\r\n")), true);
    assert.equal(isKeepAlive(Buffer.from("\r\n")), true);
    assert.equal(isKeepAlive(Buffer.from("\r\nX")), false);
    assert.equal(isKeepAlive(Buffer.from(" ")), false);
  });
});
