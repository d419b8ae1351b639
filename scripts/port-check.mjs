// Whether a port can be bound now: a launcher checks before it starts services, so that a
// port already taken (another stack still running) is reported as such, and a probe does
// not mistake the other stack's answers for its own services'.
import { createSocket } from "node:dgram";
import { createServer } from "node:net";

/** Why TCP `host:port` cannot be listened on (an error code), or undefined when it can. */
export function tcpPortProblem(host, port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (error) => resolve(error.code ?? error.message));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

/** Why UDP `host:port` cannot be bound (an error code), or undefined when it can. */
export function udpPortProblem(host, port) {
  return new Promise((resolve) => {
    const socket = createSocket("udp4");
    socket.once("error", (error) => {
      socket.close();
      resolve(error.code ?? error.message);
    });
    socket.bind({ address: host, port, exclusive: true }, () =>
      socket.close(() => resolve(undefined)),
    );
  });
}
