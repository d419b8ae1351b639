// Runs sipp (SIPp 3.6) with a scenario of test-e2e/sipp/ on 127.0.0.1: statistics, unexpected
// messages and response times go to a temporary directory, and the result reports sipp's exit
// code (0: every call succeeded), its success and failure counts and the response times.

import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pollUntil } from "./deadline.js";
import { spawnFailure } from "./external-tool.js";
import { freeUdpPort, LOOPBACK } from "./free-port.js";
import { REPOSITORY_ROOT } from "./repository-root.js";
import type { SipAddress } from "./stack.js";

export const SIPP_BINARY = process.env.SIPP ?? "sipp";
const SIPP_INSTALL = "apt-get install sip-tester (.ci/run does), or set SIPP to its path";
export const SCENARIO_DIR = join(REPOSITORY_ROOT, "test-e2e/sipp");

/** A subscriber a scenario acts as: `[field0]` user, `[field1]` password, `[field2]` credentials. */
export interface SippUser {
  readonly username: string;
  readonly password: string;
}

export interface SippOptions {
  /** File name in test-e2e/sipp/, e.g. "register-with-digest-expect-200.xml". */
  readonly scenario: string;
  /** The proxy, for a client scenario; a server scenario (UAS) has none. */
  readonly remote?: SipAddress;
  /** Local SIP port (-p); default: any. */
  readonly localPort?: number;
  /** -s: the Request-URI user of a client scenario, the callee's user of a server one. */
  readonly service?: string;
  /** Injected with -inf, one call per line in turn. */
  readonly users?: readonly SippUser[];
  /**
   * The digest-uri of `[authentication]`: the Request-URI of the challenged request (RFC 3261
   * §22.4). Without it sipp uses `sip:<remote ip>:<remote port>`, which a registrar checking
   * the digest-uri refuses.
   */
  readonly digestUri?: string;
  /** -key name value: `[name]` keywords of the scenario (e.g. domain). */
  readonly keys?: Readonly<Record<string, string>>;
  /** -m: calls to run before exiting; default 1. */
  readonly calls?: number;
  /** -r: calls started per second; default sipp's (10). */
  readonly rate?: number;
  /** -l: most calls open at once. */
  readonly limit?: number;
  /** -timeout: sipp gives up (and fails, -timeout_error) after this many seconds; default 10. */
  readonly timeoutS?: number;
  /** -recv_timeout: a call fails when an expected message takes longer; default 5000 ms. */
  readonly recvTimeoutMs?: number;
  /** -trace_rtt: collect every response time (for benchmarks). */
  readonly responseTimes?: boolean;
}

/** One measured response time of a scenario's `rtd` timers. */
export interface ResponseTime {
  /** The timer's number in the scenario (1, 2, ...). */
  readonly timer: number;
  readonly ms: number;
}

export interface SippResult {
  /** 0 when every call succeeded; 1 when some failed; others: sipp could not run. */
  readonly exitCode: number | null;
  readonly successful: number;
  readonly failed: number;
  /** Seconds sipp ran, from its statistics. */
  readonly elapsedS: number;
  /** Unexpected messages sipp logged (-trace_err), empty when none. */
  readonly errors: string;
  readonly responseTimes: readonly ResponseTime[];
  /** sipp's standard output and error (its final screen and complaints). */
  readonly output: string;
}

/** A running sipp. */
export interface SippProcess {
  readonly pid: number | undefined;
  readonly localPort: number;
  /** Resolves once sipp's SIP socket is bound (a server scenario is then ready for calls). */
  whenBound(): Promise<void>;
  /** Resolves when sipp exits, with what it reported. */
  readonly done: Promise<SippResult>;
  /** SIGTERM (sipp ends at once, its calls counted as they stand). */
  stop(): void;
}

function argumentsOf(options: SippOptions, dir: string, localPort: number): string[] {
  const args = [
    ...(options.remote === undefined ? [] : [`${options.remote.host}:${options.remote.port}`]),
    "-sf",
    join(SCENARIO_DIR, options.scenario),
    "-i",
    LOOPBACK,
    "-mi",
    LOOPBACK,
    "-p",
    String(localPort),
    "-m",
    String(options.calls ?? 1),
    "-timeout",
    `${options.timeoutS ?? 10}s`,
    "-timeout_error",
    "-recv_timeout",
    String(options.recvTimeoutMs ?? 5000),
    "-nostdin",
    // Socket buffers of 4 MB (sipp's default is 64 KB): bursts of responses are not dropped.
    "-buff_size",
    String(4 * 1024 * 1024),
    // No default behaviours: an aborted call sends no BYE or CANCEL of its own to the proxy.
    "-nd",
    "-trace_err",
    "-error_file",
    join(dir, "errors.log"),
    "-trace_stat",
    "-stf",
    join(dir, "stats.csv"),
    "-fd",
    "1",
  ];
  if (options.service !== undefined) args.push("-s", options.service);
  if (options.users !== undefined) args.push("-inf", join(dir, "users.csv"));
  // -auth_uri takes the URI without its "sip:" scheme.
  if (options.digestUri !== undefined)
    args.push("-auth_uri", options.digestUri.replace(/^sip:/, ""));
  for (const [name, value] of Object.entries(options.keys ?? {})) args.push("-key", name, value);
  if (options.rate !== undefined) args.push("-r", String(options.rate));
  if (options.limit !== undefined) args.push("-l", String(options.limit));
  if (options.responseTimes === true) args.push("-trace_rtt", "-rtt_freq", "1000");
  return args;
}

/** The `users.csv` of -inf: `user;password;[authentication username=user password=pw]`. */
function usersCsv(users: readonly SippUser[]): string {
  const lines = users.map(
    ({ username, password }) =>
      `${username};${password};[authentication username=${username} password=${password}]`,
  );
  return `SEQUENTIAL\n${lines.join("\n")}\n`;
}

/** The last row of sipp's statistics CSV as a column → value map. */
async function finalStatistics(path: string): Promise<Map<string, string>> {
  const text = await readFile(path, "utf8").catch(() => "");
  const rows = text.split("\n").filter((line) => line.trim() !== "");
  const header = rows[0]?.split(";") ?? [];
  const last = rows.length > 1 ? (rows.at(-1)?.split(";") ?? []) : [];
  return new Map(header.map((name, index) => [name, last[index] ?? ""]));
}

/** "HH:MM:SS" or "HH:MM:SS:uuuuuu" as seconds. */
function seconds(duration: string | undefined): number {
  const [h = "0", m = "0", s = "0", us = "0"] = (duration ?? "").split(":");
  return Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(us) / 1e6;
}

async function responseTimesIn(dir: string): Promise<ResponseTime[]> {
  const files = (await readdir(dir)).filter((name) => name.endsWith("_rtt.csv"));
  const times: ResponseTime[] = [];
  for (const file of files) {
    for (const line of (await readFile(join(dir, file), "utf8")).split("\n").slice(1)) {
      const [, ms, timer] = line.split(";");
      if (ms !== undefined && timer !== undefined) {
        times.push({ timer: Number(timer), ms: Number(ms) });
      }
    }
  }
  return times;
}

async function collect(
  child: ChildProcess,
  dir: string,
  output: () => string,
): Promise<SippResult> {
  const [exitCode] = (await once(child, "exit").catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw spawnFailure(error, SIPP_BINARY, SIPP_INSTALL);
  })) as [number | null];
  const stats = await finalStatistics(join(dir, "stats.csv"));
  const result: SippResult = {
    exitCode,
    successful: Number(stats.get("SuccessfulCall(C)") ?? 0),
    failed: Number(stats.get("FailedCall(C)") ?? 0),
    elapsedS: seconds(stats.get("ElapsedTime(C)")),
    errors: await readFile(join(dir, "errors.log"), "utf8").catch(() => ""),
    responseTimes: await responseTimesIn(dir),
    output: output(),
  };
  await rm(dir, { recursive: true, force: true });
  return result;
}

/**
 * True once a UDP socket is bound to `port` on 127.0.0.1 (or every address), read from
 * Linux's /proc/net/udp: binding the port to find out could take it from sipp.
 */
async function udpPortBound(port: number): Promise<boolean> {
  const table = await readFile("/proc/net/udp", "utf8");
  const suffix = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  return table
    .split("\n")
    .map((line) => line.trim().split(/\s+/)[1] ?? "")
    .some((local) => local.endsWith(suffix) && /^(0100007F|00000000):/.test(local));
}

/**
 * Starts sipp. The local port is chosen now when not given, so `whenBound` can tell when a
 * server scenario listens.
 */
export async function startSipp(options: SippOptions): Promise<SippProcess> {
  const dir = await mkdtemp(join(tmpdir(), "switchboard-sipp-"));
  if (options.users !== undefined) await writeFile(join(dir, "users.csv"), usersCsv(options.users));
  const localPort = options.localPort ?? (await freeUdpPort());
  const child = spawn(SIPP_BINARY, argumentsOf(options, dir, localPort), {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString("latin1")).slice(-20_000);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const done = collect(child, dir, () => output);
  const exited = new AbortController();
  const onExit = () => exited.abort(new Error(`sipp exited: ${output.slice(-2000)}`));
  done.then(onExit, onExit);
  const whenBound = () =>
    pollUntil(async () => ((await udpPortBound(localPort)) ? true : undefined), {
      timeoutMs: 5000,
      intervalMs: 10,
      what: `sipp bound to UDP ${localPort}`,
      signal: exited.signal,
    }).then(() => undefined);
  return { pid: child.pid, localPort, whenBound, done, stop: () => child.kill("SIGTERM") };
}

/** Runs sipp to the end. */
export async function runSipp(options: SippOptions): Promise<SippResult> {
  return (await startSipp(options)).done;
}

/** A summary of a sipp run for assertion messages: counts, unexpected messages, its screen. */
export function describeSipp(result: SippResult): string {
  const errors = result.errors.trim() === "" ? "" : `\nunexpected messages:\n${result.errors}`;
  return `sipp exit ${result.exitCode}, ${result.successful} successful, ${result.failed} failed${errors}\n${result.output.slice(-3000)}`;
}
