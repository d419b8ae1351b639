// Captures the SIP traffic of a proxy's UDP port on the loopback interface with dumpcap (from
// Wireshark; needs root or CAP_NET_RAW), and times each request from its first transmission to
// the proxy's final response, with the kernel's microsecond timestamps. A load generator's own
// figures include its scheduling, and sipp's come in steps of the coarse clock (4 ms on a
// kernel with HZ=250): these are the proxy's response times as its peers see them on the wire.

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseMessage } from "@switchboard/sip";
import { pollUntil } from "./deadline.js";
import { type UdpDatagram, udpDatagramsOf } from "./pcap.js";

const DUMPCAP = process.env.DUMPCAP ?? "dumpcap";

export interface CapturedTraffic {
  readonly datagrams: UdpDatagram[];
  /** Packets the capture missed (its buffer was full), as dumpcap reports; undefined if it did not. */
  readonly dropped: number | undefined;
}

export interface WireCapture {
  readonly pid: number | undefined;
  /** Ends the capture and returns what it saw. */
  stop(): Promise<CapturedTraffic>;
}

/** dumpcap's last words: "Packets received/dropped on interface 'Loopback: lo': 5000/0 (…)". */
function droppedIn(report: string): number | undefined {
  const match = /received\/dropped on interface .*: \d+\/(\d+)/.exec(report);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Why no capture can be made here ("dumpcap did not run (…)"), or undefined if it can. */
export function wireCaptureUnavailable(): string | undefined {
  const probe = spawnSync(DUMPCAP, ["-D"], { encoding: "utf8" });
  if (probe.error !== undefined) return `${DUMPCAP} did not run (${probe.error.message})`;
  if (probe.status !== 0 || !/\blo\b/.test(probe.stdout))
    return `${DUMPCAP} cannot capture on lo: ${probe.stderr.trim().split("\n").at(-1) ?? ""}`;
  return undefined;
}

/** Starts capturing the UDP datagrams to or from `port` on lo; resolves once it captures. */
export async function startWireCapture(port: number): Promise<WireCapture> {
  const dir = await mkdtemp(join(tmpdir(), "switchboard-capture-"));
  const file = join(dir, "capture.pcap");
  // -P: classic pcap; -B: a 64 MiB kernel buffer, so that bursts are not dropped.
  const child: ChildProcess = spawn(
    DUMPCAP,
    ["-i", "lo", "-f", `udp port ${port}`, "-P", "-B", "64", "-q", "-w", file],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  // Rejects when dumpcap could not be started ("error" before "exit").
  const exited = once(child, "exit");
  const gone = new AbortController();
  const onGone = () => gone.abort(new Error(`dumpcap exited: ${errors.trim()}`));
  exited.then(onGone, onGone);
  try {
    // dumpcap writes the file's header once it captures.
    await pollUntil(
      async () => ((await stat(file).catch(() => undefined))?.size ? true : undefined),
      { timeoutMs: 10_000, intervalMs: 20, what: "dumpcap capturing on lo", signal: gone.signal },
    );
  } catch (error) {
    child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    pid: child.pid,
    async stop() {
      child.kill("SIGTERM");
      await exited;
      try {
        return { datagrams: udpDatagramsOf(await readFile(file)), dropped: droppedIn(errors) };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Response times in milliseconds by "METHOD→status" ("REGISTER→401"): for each request sent to
 * `proxyPort` (ACK has no response), from its first transmission to the first final response
 * the proxy sent back to the same port for the same Call-ID and CSeq. Requests the proxy sends
 * on, and their responses, are not counted; neither are datagrams that do not parse.
 */
export function responseTimes(
  datagrams: readonly UdpDatagram[],
  proxyPort: number,
): Map<string, number[]> {
  const sentAt = new Map<string, number>();
  const times = new Map<string, number[]>();
  for (const datagram of datagrams) {
    const toProxy = datagram.destinationPort === proxyPort;
    if (!toProxy && datagram.sourcePort !== proxyPort) continue;
    let message: ReturnType<typeof parseMessage>;
    try {
      message = parseMessage(datagram.payload);
    } catch {
      continue;
    }
    const peer = toProxy ? datagram.sourcePort : datagram.destinationPort;
    const key = `${peer} ${message.callId} ${message.cseq.seq} ${message.cseq.method}`;
    if (message.kind === "request") {
      if (toProxy && message.method !== "ACK" && !sentAt.has(key)) sentAt.set(key, datagram.timeUs);
    } else if (!toProxy && message.status >= 200) {
      const start = sentAt.get(key);
      if (start === undefined) continue;
      sentAt.set(key, Number.NaN); // answered: a retransmitted final response is not timed again
      if (Number.isNaN(start)) continue;
      const label = `${message.cseq.method}→${message.status}`;
      const values = times.get(label) ?? [];
      values.push((datagram.timeUs - start) / 1000);
      times.set(label, values);
    }
  }
  return times;
}
