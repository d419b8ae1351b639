// SIP over UDP (RFC 3261 §18): one dgram socket that receives datagrams and sends
// messages. It knows nothing of SIP syntax beyond keep-alives; parsing and the Via
// `received`/`rport` stamping happen in transport-receive.ts.

import { createSocket, type Socket } from "node:dgram";
import { isIP } from "node:net";
import type { Destination } from "./transport-address.js";

/** The largest UDP payload over IPv4 (65,535 − 8 byte UDP header − 20 byte IP header). */
export const MAX_UDP_PAYLOAD = 65_507;

export class DatagramTooLargeError extends Error {
  override readonly name = "DatagramTooLargeError";
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`a ${size}-byte message does not fit in a ${limit}-byte datagram`);
  }
}

export class TransportSendError extends Error {
  override readonly name = "TransportSendError";
  constructor(
    readonly destination: Destination,
    options: { cause: unknown },
  ) {
    super(`sending to ${destination.host}:${destination.port} failed`, options);
  }
}

export interface UdpTransportOptions {
  /** Address to bind, an IP literal ("0.0.0.0", "127.0.0.1", "::"). */
  readonly host: string;
  /** Port to bind; 0 picks a free one. */
  readonly port: number;
  /**
   * Largest datagram this transport sends. RFC 3261 §18.1.1: a message that does not
   * fit the path must not go over UDP; set this to the path MTU minus headers (1472 on a
   * 1500-byte Ethernet path) to refuse messages that would be fragmented.
   */
  readonly maxDatagramBytes?: number;
  /** Socket receive buffer in bytes; a bigger one rides out bursts. */
  readonly receiveBufferBytes?: number;
  /** Called for every datagram that is not a keep-alive. */
  readonly onDatagram: (data: Buffer, source: Destination) => void;
  /** Asynchronous send failures (ICMP unreachable and the like). */
  readonly onSendError?: (error: TransportSendError) => void;
}

/** RFC 5626 §3.5.1 keep-alives (CRLFCRLF pings, and the bare CRLFs phones send). */
export function isKeepAlive(data: Buffer): boolean {
  if (data.length === 0) return true;
  for (const byte of data) {
    if (byte !== 0x0d && byte !== 0x0a) return false;
  }
  return true;
}

export class UdpTransport {
  readonly #socket: Socket;
  readonly #maxDatagramBytes: number;
  readonly #onSendError: ((error: TransportSendError) => void) | undefined;

  private constructor(socket: Socket, options: UdpTransportOptions) {
    this.#socket = socket;
    this.#maxDatagramBytes = Math.min(options.maxDatagramBytes ?? MAX_UDP_PAYLOAD, MAX_UDP_PAYLOAD);
    this.#onSendError = options.onSendError;
  }

  /** Binds the socket and starts delivering datagrams. */
  static listen(options: UdpTransportOptions): Promise<UdpTransport> {
    const socket = createSocket({
      type: isIP(options.host) === 6 ? "udp6" : "udp4",
      recvBufferSize: options.receiveBufferBytes ?? 4 * 1024 * 1024,
      sendBufferSize: 4 * 1024 * 1024,
    });
    const transport = new UdpTransport(socket, options);
    socket.on("message", (data, info) => {
      if (isKeepAlive(data)) return;
      options.onDatagram(data, { transport: "UDP", host: info.address, port: info.port });
    });
    return new Promise((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(options.port, options.host, () => {
        socket.off("error", reject);
        // Errors after bind (e.g. ICMP port unreachable on some platforms) must not kill the process.
        socket.on("error", () => {});
        resolve(transport);
      });
    });
  }

  /** The bound address; the port is the real one when 0 was asked for. */
  get address(): { host: string; port: number } {
    const { address, port } = this.#socket.address();
    return { host: address, port };
  }

  /**
   * Sends one datagram. Throws DatagramTooLargeError when the message does not fit, so the
   * caller can fall back to another transport or fail the request; later failures of the
   * send go to onSendError.
   */
  send(data: Buffer, destination: Destination): void {
    if (data.length > this.#maxDatagramBytes) {
      throw new DatagramTooLargeError(data.length, this.#maxDatagramBytes);
    }
    this.#socket.send(data, destination.port, destination.host, (error) => {
      if (error && this.#onSendError) {
        this.#onSendError(new TransportSendError(destination, { cause: error }));
      }
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }
}
