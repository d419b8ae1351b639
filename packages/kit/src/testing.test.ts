import assert from "node:assert/strict";
import { once } from "node:events";
import { connect, createServer, type Server, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { percentile, TcpRelay } from "./testing.js";

let echo: Server;
let relay: TcpRelay;

before(async () => {
  echo = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
  const address = echo.address();
  assert.ok(typeof address === "object" && address !== null);
  relay = new TcpRelay({ host: "127.0.0.1", port: address.port });
});

after(async () => {
  await relay.cut();
  await new Promise((resolve) => echo.close(resolve));
});

/** Opens a connection through the relay; resolves once connected, rejects when refused. */
async function open(): Promise<Socket> {
  const socket = connect(relay.port, "127.0.0.1");
  await Promise.race([
    once(socket, "connect"),
    once(socket, "error").then(([error]) => Promise.reject(error)),
  ]);
  return socket;
}

/** The next data `socket` receives. */
async function nextData(socket: Socket): Promise<string> {
  const [chunk] = await once(socket, "data");
  return String(chunk);
}

describe("TcpRelay", () => {
  it("MUST pass bytes both ways once started", async () => {
    await relay.start();
    const socket = await open();
    socket.write("ping");
    assert.equal(await nextData(socket), "ping");
    socket.destroy();
  });

  it("MUST drop open connections and refuse new ones when cut, on the same port after start", async () => {
    const socket = await open();
    const closed = once(socket, "close");
    const port = relay.port;
    await relay.cut();
    await closed;
    await assert.rejects(open(), { code: "ECONNREFUSED" });
    await relay.start();
    assert.equal(relay.port, port);
    const again = await open();
    again.destroy();
  });
});

describe("percentile", () => {
  it("MUST give the nearest-rank value: the smallest that the fraction of values do not exceed", () => {
    const values = Array.from({ length: 1000 }, (_, index) => index + 1);
    assert.equal(percentile(values, 0.5), 500);
    assert.equal(percentile(values, 0.99), 990);
    assert.equal(percentile(values, 1), 1000);
    assert.equal(percentile(values, 0), 1);
    assert.equal(percentile([7], 0.99), 7);
    assert.ok(Number.isNaN(percentile([], 0.5)));
  });
});
