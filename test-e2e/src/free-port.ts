// Ports nobody uses right now on 127.0.0.1, chosen by the kernel (bind to port 0, read the
// port, release it). A service started just after gets the port unless another process
// races for it, which the ephemeral range makes unlikely.

import { createSocket } from "node:dgram";
import { createServer } from "node:net";

export const LOOPBACK = "127.0.0.1";

/** A TCP port free on 127.0.0.1 (for an HTTP listener). */
export async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, LOOPBACK, resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no TCP port assigned");
  return address.port;
}

/** A UDP port free on 127.0.0.1 (for a SIP listener or a SIP client). */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(0, LOOPBACK, resolve);
  });
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}
