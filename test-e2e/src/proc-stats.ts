// Figures from Linux's /proc for benchmark reports: CPU time and resident memory of a
// process, and the machine's count of UDP datagrams dropped for want of buffer space.

import { readFile } from "node:fs/promises";

/** Linux reports CPU times in USER_HZ ticks, 100 per second on every mainstream architecture. */
const TICKS_PER_SECOND = 100;

export interface ProcessUsage {
  /** User plus system CPU time so far, in seconds. */
  readonly cpuSeconds: number;
  /** CPU time of its children that have exited and been waited for, in seconds. */
  readonly exitedChildrenCpuSeconds: number;
  /** Resident set size in bytes. */
  readonly rssBytes: number;
}

/**
 * The usage of process `pid`: utime + stime and cutime + cstime from /proc/<pid>/stat
 * (fields 14 to 17, counted after the parenthesised command name, which may hold spaces)
 * and VmRSS from /proc/<pid>/status.
 * @throws when the process does not exist (or /proc is not there).
 */
export async function processUsage(pid: number): Promise<ProcessUsage> {
  const [stat, status] = await Promise.all([
    readFile(`/proc/${pid}/stat`, "utf8"),
    readFile(`/proc/${pid}/status`, "utf8"),
  ]);
  const afterName = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // afterName[0] is field 3 (state): utime, stime, cutime and cstime are fields 14 to 17.
  const field = (number: number) => Number(afterName[number - 3]);
  const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
  return {
    cpuSeconds: (field(14) + field(15)) / TICKS_PER_SECOND,
    exitedChildrenCpuSeconds: (field(16) + field(17)) / TICKS_PER_SECOND,
    rssBytes: rssKb * 1024,
  };
}

/**
 * Datagrams the kernel dropped because a UDP socket's receive buffer was full, machine-wide
 * (RcvbufErrors of the Udp line in /proc/net/snmp).
 */
export async function udpReceiveBufferErrors(): Promise<number> {
  const lines = (await readFile("/proc/net/snmp", "utf8"))
    .split("\n")
    .filter((line) => line.startsWith("Udp: "));
  const names = lines[0]?.split(" ") ?? [];
  const values = lines[1]?.split(" ") ?? [];
  return Number(values[names.indexOf("RcvbufErrors")] ?? Number.NaN);
}
