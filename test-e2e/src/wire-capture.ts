// Captures the SIP traffic of a proxy's UDP port on the loopback interface with dumpcap (from
// Wireshark; needs root or CAP_NET_RAW), and times each request from its first transmission to
// the proxy's final response, with the kernel's microsecond timestamps. A load generator's own
// figures include its scheduling, and sipp's come in steps of the coarse clock (4 ms on a
// kernel with HZ=250): these are the proxy's response times as its peers see them on the wire.

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createSocket } from "node:dgram";
import { once } from "node:events";
import { mkdtemp, open, readFile, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseMessage } from "@switchboard/sip";
import { pollUntil } from "./deadline.js";
import { LOOPBACK } from "./free-port.js";
import { type UdpDatagram, udpDatagramsOf } from "./pcap.js";

const DUMPCAP = process.env.DUMPCAP ?? "dumpcap";
/** How much of the capture file's end is searched for the end marker. */
const TAIL_BYTES = 64 * 1024;

export interface CapturedTraffic {
  readonly datagrams: UdpDatagram[];
  /** Packets the capture missed (its buffer was full), as dumpcap reports; undefined if it did not. */
  readonly dropped: number | undefined;
  /** Where the pcap file was kept, when asked to keep it (for Wireshark or tshark). */
  readonly keptAs?: string;
}

export interface WireCapture {
  readonly pid: number | undefined;
  /**
   * Ends the capture and returns what it saw. The pcap file is deleted, unless `keep` is set:
   * then it is kept in the temporary directory, e.g. to look into a step that failed.
   */
  stop(keep?: boolean): Promise<CapturedTraffic>;
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

/** Whether the last bytes of `file` hold `marker`. */
async function tailHolds(file: string, marker: Buffer): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, TAIL_BYTES);
    const tail = Buffer.alloc(length);
    await handle.read(tail, 0, length, size - length);
    return tail.includes(marker);
  } finally {
    await handle.close();
  }
}

/**
 * Starts capturing the UDP datagrams to or from `port` on lo; resolves once it captures.
 *
 * dumpcap receives packets from the kernel in blocks, some hundreds of milliseconds late, and
 * drops the pending block when it is stopped: a capture stopped at once would lose its last
 * packets. So the capture also takes the datagrams of a socket of its own, and `stop` sends
 * one from it to itself as an end marker, and stops dumpcap once the marker is in the file.
 */
export async function startWireCapture(port: number): Promise<WireCapture> {
  const markerSocket = createSocket("udp4");
  await new Promise<void>((resolve, reject) => {
    markerSocket.once("error", reject);
    markerSocket.bind(0, LOOPBACK, resolve);
  });
  const markerPort = markerSocket.address().port;
  const dir = await mkdtemp(join(tmpdir(), "switchboard-capture-"));
  const file = join(dir, "capture.pcap");
  // -P: classic pcap; -B: a 64 MiB kernel buffer, so that bursts are not dropped.
  const filter = `udp port ${port} or udp port ${markerPort}`;
  const child: ChildProcess = spawn(
    DUMPCAP,
    ["-i", "lo", "-f", filter, "-P", "-B", "64", "-q", "-w", file],
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
    markerSocket.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    pid: child.pid,
    async stop(keep = false) {
      try {
        try {
          const marker = Buffer.from(`end of capture ${randomUUID()}`);
          markerSocket.send(marker, markerPort, LOOPBACK);
          await pollUntil(async () => ((await tailHolds(file, marker)) ? true : undefined), {
            timeoutMs: 10_000,
            intervalMs: 50,
            what: "the end marker in the capture file",
            signal: gone.signal,
          });
        } finally {
          markerSocket.close();
          child.kill("SIGTERM");
          await exited;
        }
        const datagrams = udpDatagramsOf(await readFile(file)).filter(
          (datagram) => datagram.sourcePort === port || datagram.destinationPort === port,
        );
        const dropped = droppedIn(errors);
        if (!keep) return { datagrams, dropped };
        const keptAs = join(tmpdir(), `switchboard-capture-${port}-${Date.now()}.pcap`);
        await rename(file, keptAs);
        return { datagrams, dropped, keptAs };
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
