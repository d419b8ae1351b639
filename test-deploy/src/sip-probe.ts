// One SIP request over UDP and the first response to it: enough to see that an edge proxy
// answers, without a SIP stack on this side.

import { randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";
import { on, once } from "node:events";

export interface SipTarget {
  readonly host: string;
  readonly port: number;
}

/**
 * Sends a REGISTER without credentials for `user@domain` from a socket on 127.0.0.1 and
 * returns the text of the first final response (provisional ones are passed over).
 * @throws when no final response arrives within `timeoutMs`.
 */
export async function registerWithoutCredentials(
  target: SipTarget,
  user: string,
  domain: string,
  timeoutMs = 5000,
): Promise<string> {
  const socket = createSocket("udp4");
  try {
    socket.bind(0, "127.0.0.1");
    await once(socket, "listening");
    const local = `127.0.0.1:${socket.address().port}`;
    const token = () => randomBytes(6).toString("hex");
    const request = [
      `REGISTER sip:${domain} SIP/2.0`,
      // RFC 3261 §8.1.1.7: the branch starts with the magic cookie z9hG4bK.
      `Via: SIP/2.0/UDP ${local};branch=z9hG4bK${token()};rport`,
      "Max-Forwards: 70",
      `From: <sip:${user}@${domain}>;tag=${token()}`,
      `To: <sip:${user}@${domain}>`,
      `Call-ID: ${token()}@127.0.0.1`,
      "CSeq: 1 REGISTER",
      `Contact: <sip:${user}@${local}>`,
      "Expires: 60",
      "Content-Length: 0",
      "",
      "",
    ].join("\r\n");
    const deadline = AbortSignal.timeout(timeoutMs);
    const responses = on(socket, "message", { signal: deadline });
    socket.send(request, target.port, target.host);
    try {
      for await (const [data] of responses as AsyncIterable<[Buffer]>) {
        const text = data.toString("utf8");
        // RFC 3261 §7.2: 1xx responses are provisional, the others final.
        if (!/^SIP\/2\.0 1\d\d /.test(text)) return text;
      }
      throw new Error("the socket closed");
    } catch (error) {
      const where = `${target.host}:${target.port}`;
      throw new Error(`no SIP response from ${where} within ${timeoutMs} ms`, { cause: error });
    }
  } finally {
    socket.close();
  }
}
