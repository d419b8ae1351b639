// A stand-in admin HTTP API for unit tests: answers each request with what the test's
// handler returns and records what it received. Real HTTP on 127.0.0.1, so the client
// under test uses the real fetch.

import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface StubRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface StubReply {
  readonly status: number;
  /** Sent as JSON; a string is sent as is. */
  readonly body?: unknown;
}

export interface AdminStub {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly requests: readonly StubRequest[];
  close(): Promise<void>;
}

/** Starts a stub answering with `handle`; a handler returning `undefined` never answers. */
export async function startAdminStub(
  handle: (request: StubRequest) => StubReply | undefined,
): Promise<AdminStub> {
  const requests: StubRequest[] = [];
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const request = {
        method: incoming.method ?? "",
        url: incoming.url ?? "",
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(request);
      const reply = handle(request);
      if (reply === undefined) return;
      const text =
        reply.body === undefined
          ? ""
          : typeof reply.body === "string"
            ? reply.body
            : JSON.stringify(reply.body);
      response.writeHead(reply.status, { "content-type": "application/json" });
      response.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
