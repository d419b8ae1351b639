// The whole stack under load from sipp on loopback: REGISTER with digest (401 then 200) per
// second with location durable, then write-back, and authenticated calls (INVITE/407/ACK/
// INVITE/100/180/200/ACK/BYE/200, a sipp UAS answering for the callee) per second. Each
// step runs ~10 s at a fixed rate; a ramp stops at the first step with a failed call.
// Prints calls/s, failures (and why), sipp's response times (p50/p99 per timer, in steps of
// the kernel's coarse clock), response times on the wire for the steps up to half the target
// rates (when dumpcap can capture on lo), and the CPU and memory of each service process and
// of sipp. The services run their compiled code (`npm run bench` builds first).
// A ramp ends with a step beyond capacity, which leaves the edge a heap of several hundred MB
// to give back: each phase starts from freshly started services (with the edge holding no
// transaction left by the phase before), as after a rolling restart, so that it does not pay
// for that.
//
//   npm run bench -- stack
//
// Targets on a 2-core machine with sipp on the same box: 5,000 REGISTER/s and 1,500
// calls/s with no failure, p99 < 10 ms at half those rates. The machine's load average
// is printed too: other work on the box skews every figure.

import { loadavg } from "node:os";
import { percentile } from "@switchboard/kit/testing";
import { pollUntil } from "../deadline.js";
import { freeUdpPort } from "../free-port.js";
import { processUsage, udpReceiveBufferErrors } from "../proc-stats.js";
import {
  describeSipp,
  type ResponseTime,
  runSipp,
  type SippOptions,
  type SippProcess,
  type SippResult,
  type SippUser,
  startSipp,
} from "../sipp.js";
import { Stack } from "../stack.js";
import { addThroughAdminApi, type Subscriber } from "../subscribers.js";
import {
  type CapturedTraffic,
  responseTimes,
  startWireCapture,
  type WireCapture,
  wireCaptureUnavailable,
} from "../wire-capture.js";

const STEP_S = 10;
const REGISTER_TARGET = 5000;
const CALL_TARGET = 1500;
// Half the targets, then the targets, with lower steps first so that a slower machine still
// finds its highest rate; a ramp ends at its first failing step.
const REGISTER_RATES = [500, 1250, REGISTER_TARGET / 2, REGISTER_TARGET, 7500];
const CALL_RATES = [150, 375, CALL_TARGET / 2, CALL_TARGET];
const REGISTER_USERS = 200;

const CALLER: Subscriber = { username: "1000", password: "password1", email: "user1@nowhere.com" };
const CALLEE: Subscriber = { username: "1001", password: "password2", email: "user2@nowhere.com" };

interface StepReport {
  readonly rate: number;
  readonly successful: number;
  readonly failed: number;
  readonly achieved: number;
  /** Why calls failed: unexpected status codes and timeouts, with counts. */
  readonly failures: string;
  /** UDP datagrams the kernel dropped on full receive buffers during the step (machine-wide). */
  readonly udpDrops: number;
  /** sipp's response times by timer number, in steps of its clock (4 ms with HZ=250). */
  readonly timers: ReadonlyMap<number, Percentiles>;
  /** Response times on the wire by "METHOD→status", when a capture could be made. */
  readonly wire?: ReadonlyMap<string, Percentiles>;
  /** Packets the capture missed: their requests or responses are not timed. */
  readonly wireDropped?: number | undefined;
  /** The pcap file of a step with failures, kept to look into them. */
  readonly keptCapture?: string | undefined;
  /** CPU cores used (CPU seconds per wall second) and RSS in MB, per process. */
  readonly processes: ReadonlyMap<string, { cores: number; rssMb?: number }>;
}

interface Percentiles {
  readonly p50: number;
  readonly p99: number;
}

/** p50 and p99 of each group of values, groups in key order. */
function percentilesOf<K extends number | string>(groups: ReadonlyMap<K, number[]>) {
  const result = new Map<K, Percentiles>();
  for (const [key, values] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    values.sort((a, b) => a - b);
    result.set(key, { p50: percentile(values, 0.5), p99: percentile(values, 0.99) });
  }
  return result;
}

function byTimer(times: readonly ResponseTime[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (const { timer, ms } of times) {
    const values = groups.get(timer) ?? [];
    values.push(ms);
    groups.set(timer, values);
  }
  return groups;
}

const CAPTURE_UNAVAILABLE = wireCaptureUnavailable();

/**
 * Why calls failed: "unexpected 503 ×120, no answer in time ×7". sipp logs each call aborted
 * on an unexpected response; the other failures are calls whose expected message did not
 * come in time (-recv_timeout, or the run's -timeout).
 */
function failureReasons(result: SippResult, failed: number): string {
  const counts = new Map<string, number>();
  for (const match of result.errors.matchAll(
    /Aborting call on unexpected message.*received 'SIP\/2\.0 (\d{3})/g,
  )) {
    const reason = `unexpected ${match[1]}`;
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const explained = [...counts.values()].reduce((sum, count) => sum + count, 0);
  if (failed > explained) counts.set("no answer in time", failed - explained);
  return [...counts].map(([reason, count]) => `${reason} ×${count}`).join(", ");
}

/**
 * CPU seconds and RSS of the stack's services, sipp processes, the capture, and our exited
 * children.
 */
async function sample(stack: Stack, answering?: SippProcess, capture?: WireCapture) {
  const usage = new Map<string, { cpuSeconds: number; rssBytes?: number }>();
  for (const service of [stack.edge, stack.auth, stack.location]) {
    if (service.pid !== undefined) usage.set(service.name, await processUsage(service.pid));
  }
  if (answering?.pid !== undefined) {
    const uas = await processUsage(answering.pid).catch(() => undefined);
    if (uas === undefined) {
      throw new Error(`the answering sipp exited early: ${describeSipp(await answering.done)}`);
    }
    usage.set("sipp UAS", uas);
  }
  if (capture?.pid !== undefined) usage.set("capture", await processUsage(capture.pid));
  // A sipp run of a step has exited by the end of it: its CPU shows in our children's.
  const self = await processUsage(process.pid);
  usage.set("sipp", { cpuSeconds: self.exitedChildrenCpuSeconds });
  return usage;
}

/** A sipp run with the processes' usage and the machine's UDP drops counted before and after. */
interface SippRun {
  readonly before: Usage;
  readonly after: Usage;
  readonly dropsBefore: number;
  readonly result: SippResult;
  readonly wallS: number;
}

type Usage = Awaited<ReturnType<typeof sample>>;

async function runMeasured(
  stack: Stack,
  rate: number,
  calls: number,
  options: SippOptions,
  answering: SippProcess | undefined,
  capture: WireCapture | undefined,
): Promise<SippRun> {
  const before = await sample(stack, answering, capture);
  const dropsBefore = await udpReceiveBufferErrors();
  const started = Date.now();
  const result = await runSipp({
    ...options,
    rate,
    calls,
    limit: Math.max(100, rate * 2),
    timeoutS: STEP_S + 5,
    recvTimeoutMs: 3000,
    responseTimes: true,
  });
  const wallS = (Date.now() - started) / 1000;
  const after = await sample(stack, answering, capture);
  return { before, after, dropsBefore, result, wallS };
}

/**
 * Runs one load step with sipp and measures the processes meanwhile, capturing the proxy's
 * traffic when `wire` is set and a capture can be made.
 */
async function step(
  stack: Stack,
  rate: number,
  options: SippOptions,
  wire: boolean,
  answering?: SippProcess,
): Promise<StepReport> {
  const capture: WireCapture | undefined =
    wire && CAPTURE_UNAVAILABLE === undefined ? await startWireCapture(stack.sip.port) : undefined;
  const calls = rate * STEP_S;
  let run: SippRun;
  let captured: CapturedTraffic | undefined;
  let someFailed = false;
  try {
    run = await runMeasured(stack, rate, calls, options, answering, capture);
    someFailed = run.result.successful < calls;
  } finally {
    // Also when the step failed: a capture left running would outlive the benchmark. The
    // capture of a step with failed calls is kept, to see what went wrong.
    captured = await capture?.stop(someFailed);
  }
  const { before, after, dropsBefore, result, wallS } = run;
  const udpDrops = (await udpReceiveBufferErrors()) - dropsBefore;
  const processes = new Map<string, { cores: number; rssMb?: number }>();
  for (const [name, end] of after) {
    const start = before.get(name);
    processes.set(name, {
      cores: start === undefined ? Number.NaN : (end.cpuSeconds - start.cpuSeconds) / wallS,
      ...(end.rssBytes === undefined ? {} : { rssMb: end.rssBytes / 2 ** 20 }),
    });
  }
  // Calls sipp never finished (it gave up at -timeout) count as failed too.
  const failed = calls - result.successful;
  return {
    rate,
    successful: result.successful,
    failed,
    achieved: result.successful / Math.max(result.elapsedS, 1),
    failures: failureReasons(result, failed),
    udpDrops,
    timers: percentilesOf(byTimer(result.responseTimes)),
    ...(captured === undefined
      ? {}
      : {
          wire: percentilesOf(responseTimes(captured.datagrams, stack.sip.port)),
          wireDropped: captured.dropped,
          keptCapture: captured.keptAs,
        }),
    processes,
  };
}

function print(title: string, timerNames: readonly string[], reports: readonly StepReport[]): void {
  console.log(`\n${title}`);
  for (const report of reports) {
    const timers = timerNames
      .map((name, index) => {
        const timer = report.timers.get(index + 1);
        return `${name} p50 ${timer?.p50 ?? "-"} ms p99 ${timer?.p99 ?? "-"} ms`;
      })
      .join("; ");
    const wire = [...(report.wire ?? [])]
      .map(([label, { p50, p99 }]) => `${label} p50 ${p50.toFixed(2)} ms p99 ${p99.toFixed(2)} ms`)
      .join("; ");
    const processes = [...report.processes]
      .map(([name, usage]) => {
        const memory = usage.rssMb === undefined ? "" : ` ${usage.rssMb.toFixed(0)} MB`;
        return `${name} ${usage.cores.toFixed(2)} cores${memory}`;
      })
      .join(", ");
    const why = report.failures === "" ? "" : ` (${report.failures})`;
    console.log(
      `  ${report.rate}/s offered: ${report.successful} ok, ${report.failed} failed${why}, ${report.achieved.toFixed(0)}/s achieved, ${report.udpDrops} UDP datagrams dropped on full buffers`,
    );
    console.log(`    sipp: ${timers}`);
    if (report.wire !== undefined) {
      const missed = report.wireDropped
        ? ` (the capture missed ${report.wireDropped} packets)`
        : "";
      console.log(`    wire: ${wire}${missed}`);
    }
    if (report.keptCapture !== undefined) {
      console.log(`    the step's traffic is kept in ${report.keptCapture}`);
    }
    console.log(`    ${processes}`);
  }
  const best = reports.filter((report) => report.failed === 0).at(-1);
  console.log(
    `  highest rate with zero failures: ${best === undefined ? "none" : `${best.rate}/s`}`,
  );
}

/**
 * Steps up through `rates` until one has a failed call. Response times on the wire are
 * captured up to half the target rate, where the latency target applies; the capture takes
 * CPU from the box, so the steps that measure throughput run without it.
 */
async function ramp(
  stack: Stack,
  rates: readonly number[],
  target: number,
  options: SippOptions,
  answering?: SippProcess,
) {
  const reports: StepReport[] = [];
  for (const rate of rates) {
    const report = await step(stack, rate, options, rate <= target / 2, answering);
    reports.push(report);
    if (report.failed > 0) break;
  }
  return reports;
}

function registerRamp(stack: Stack, users: readonly SippUser[]) {
  return ramp(stack, REGISTER_RATES, REGISTER_TARGET, {
    scenario: "register-with-digest-expect-200.xml",
    remote: stack.sip,
    users,
    keys: { domain: stack.domain },
    digestUri: `sip:${stack.domain}`,
  });
}

async function callRamp(stack: Stack) {
  const calleePort = await freeUdpPort();
  const registration = await runSipp({
    scenario: "register-with-digest-expect-200.xml",
    remote: stack.sip,
    localPort: calleePort,
    users: [CALLEE],
    keys: { domain: stack.domain },
    digestUri: `sip:${stack.domain}`,
  });
  if (registration.exitCode !== 0) {
    throw new Error(`the callee could not register: ${registration.output}`);
  }
  const answering = await startSipp({
    scenario: "answer-call.xml",
    localPort: calleePort,
    service: CALLEE.username,
    // More than the ramp makes: it answers until stopped, and the last step can still be
    // measured once its calls are done.
    calls: 2 * CALL_RATES.reduce((sum, rate) => sum + rate * STEP_S, 0),
    timeoutS: 600,
    recvTimeoutMs: 3000,
  });
  await answering.whenBound();
  try {
    const options = {
      scenario: "call-with-digest-expect-200.xml",
      remote: stack.sip,
      service: CALLEE.username,
      users: [CALLER],
      keys: { domain: stack.domain },
      digestUri: `sip:${CALLEE.username}@${stack.domain}`,
    };
    return await ramp(stack, CALL_RATES, CALL_TARGET, options, answering);
  } finally {
    answering.stop();
    await answering.done;
  }
}

/**
 * Waits until the edge holds no transaction (a completed one is kept 64·T1, 32 s), so that a
 * phase does not pay for the one before it, as a failed step leaves thousands behind.
 */
async function settleEdge(stack: Stack): Promise<void> {
  const started = Date.now();
  try {
    await pollUntil(
      async () => {
        const metrics = await (await fetch(`${stack.edge.httpUrl}/metrics`)).text();
        const held = metrics
          .split("\n")
          .filter((line) => line.startsWith("switchboard_edge_sip_transactions{"))
          .reduce((sum, line) => sum + Number(line.split(" ").at(-1)), 0);
        return held === 0 ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: "edge-proxy without transactions" },
    );
    console.log(
      `\n(edge settled: no transaction left after ${Math.round((Date.now() - started) / 1000)} s)`,
    );
  } catch (error) {
    console.log(`\n(edge not settled: ${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Waits for the edge to settle, then restarts every service, location in write-back mode. */
async function freshServices(stack: Stack): Promise<void> {
  await settleEdge(stack);
  await stack.edge.restart();
  await stack.auth.restart();
  await stack.location.restart({ env: { LOCATION_DB_MODE: "write-back" } });
}

const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");
const started = Date.now();
console.log(`load average at start: ${load()}`);
if (CAPTURE_UNAVAILABLE !== undefined) {
  console.log(
    `no response times on the wire (${CAPTURE_UNAVAILABLE}): install tshark and run as root for them`,
  );
}
const stack = await Stack.start({
  // The services run their compiled code, as in production.
  compiled: true,
  label: "bench",
  logLevel: "warn",
  locationEnv: { LOCATION_DB_MODE: "durable" },
});
try {
  const users = Array.from({ length: REGISTER_USERS }, (_, index) => ({
    username: `bench${String(index).padStart(4, "0")}`,
    password: `secret-${index}`,
    email: `bench${index}@nowhere.com`,
  }));
  await addThroughAdminApi(stack, [...users, CALLER, CALLEE]);
  console.log(
    `stack up with ${users.length + 2} subscribers in ${Date.now() - started} ms (MySQL and NATS: ${stack.backing.source})`,
  );
  const registerTimers = ["REGISTER→401", "REGISTER→200"];
  print("REGISTER with digest, location durable", registerTimers, await registerRamp(stack, users));
  await freshServices(stack);
  print(
    "REGISTER with digest, location write-back",
    registerTimers,
    await registerRamp(stack, users),
  );
  await freshServices(stack);
  print(
    "authenticated calls, location write-back",
    ["INVITE→407", "INVITE→200", "BYE→200"],
    await callRamp(stack),
  );
} finally {
  await stack.stop();
  console.log(
    `\nload average at end: ${load()}; total ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}
