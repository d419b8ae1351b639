// Throughput of location.v1.save (write-back, and durable with group commit) and
// location.v1.lookup over real NATS against an in-process instance on real MySQL, their
// latency paced at half the target rates, and the memory 100,000 bindings take. The load
// comes from a child process with its own NATS connection, as the edge proxy's requests
// would, so that the service's event loop carries only the service.
//
//   npm run bench -- location
//
// Re-runs itself with --expose-gc so that the memory figure is measured after a full GC.

import { type ChildProcess, fork, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { type IntervalHistogram, monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { subjects } from "@switchboard/contracts";
import { createLogger, dropDatabase, RequestMux } from "@switchboard/kit";
import { percentile } from "@switchboard/kit/testing";
import { connect } from "nats";
import { loadLocationConfig } from "../config.js";
import { type LocationServiceHandle, startLocationService } from "../service.js";
import { eventually } from "../test-harness.js";

if (typeof globalThis.gc !== "function") {
  const self = fileURLToPath(import.meta.url);
  const run = spawnSync(process.execPath, ["--expose-gc", ...process.execArgv, self], {
    stdio: "inherit",
  });
  process.exit(run.status ?? 1);
}
const gc = () => (globalThis.gc as () => void)();

const PHASE_MS = 4000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const BINDINGS = 100_000;
/** How long a run's write-back backlog may take to reach MySQL before the benchmark gives up. */
const BACKLOG_TIMEOUT_MS = 60_000;
/** The targets on a 2-core machine, one instance; latency is measured at half of them. */
const SAVE_TARGET = 10_000;
const LOOKUP_TARGET = 20_000;
const logger = createLogger({ service: "location-bench", level: "silent" });
const unique = randomBytes(4).toString("hex");
const prefix = `bench.loc_${unique}`;
const mysqlUrl = `${(process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306").replace(/\/$/, "")}/sb_loc_bench_${unique}`;
const names = subjects(prefix);
const NATS_URL = process.env.NATS_URL ?? "nats://127.0.0.1:4222";

function configFor(mode: string) {
  return loadLocationConfig({
    MYSQL_URL: mysqlUrl,
    NATS_URL,
    NATS_SUBJECT_PREFIX: prefix,
    HTTP_HOST: "127.0.0.1",
    HTTP_PORT: "1",
    LOCATION_DB_MODE: mode,
    LOG_LEVEL: "silent",
  });
}

async function start(mode: string): Promise<LocationServiceHandle> {
  // Port 0: any free port (the configuration parser wants 1..65535).
  return startLocationService({ ...configFor(mode), HTTP_PORT: 0 }, { logger });
}

/** A REGISTER of `user<index mod 100,000>` (or of `<prefix><index>`) with a fresh Call-ID. */
function savePayload(index: number, prefix?: string): Uint8Array {
  const user = prefix === undefined ? `user${index % BINDINGS}` : `${prefix}${index}`;
  // Buffer.from: slices of Node's pool, not an ArrayBuffer each for the load process's GC.
  return Buffer.from(
    JSON.stringify({
      aor: { username: user, domain: "example.com" },
      contacts: [{ uri: `sip:${user}@198.51.100.${index % 250}:5060;transport=udp` }],
      callId: `${index}-${unique}@bench`,
      cseq: 1,
      received: `udp:203.0.113.${index % 250}:${5000 + (index % 1000)}`,
      userAgent: "bench-phone/1.0",
    }),
  );
}

function lookupPayload(index: number): Uint8Array {
  return Buffer.from(
    JSON.stringify({ aor: { username: `user${index % BINDINGS}`, domain: "example.com" } }),
  );
}

interface Figures {
  readonly requests: number;
  readonly seconds: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

function figures(latencies: number[], seconds: number, errors: number): Figures {
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors,
  };
}

/** What one phase measured, with the first failed reply if any. */
interface PhaseResult extends Figures {
  readonly firstFailure: string | undefined;
}

/**
 * A phase the load process runs: a closed loop (the throughput), then requests paced at
 * half the target throughput (the latency the target asks for at that rate).
 */
interface PhasePlan {
  readonly name: string;
  readonly subject: string;
  /** Requests per second the service should reach. */
  readonly target: number;
  readonly payload: "save" | "lookup";
  /** Saves: the first binding index, so that each phase makes bindings of its own. */
  readonly offset: number;
}

const LOAD_ROLE = "--drive-load";

/** The load side: its own process and NATS connection, sending as the edge proxy does. */
class Load {
  readonly #decoder = new TextDecoder();
  firstFailure: string | undefined;
  constructor(readonly mux: RequestMux) {}

  async timedRequest(subject: string, payload: Uint8Array, latencies: number[]): Promise<boolean> {
    const started = performance.now();
    const reply = await this.mux.send(subject, payload, 5000);
    latencies.push(performance.now() - started);
    const text = this.#decoder.decode(reply);
    const failed = text.startsWith('{"error"') || text.includes('"ok":false');
    if (failed && this.firstFailure === undefined) this.firstFailure = text;
    return !failed;
  }

  /** As many requests as `CONCURRENCY` callers can make in `PHASE_MS`. */
  async closedLoop(subject: string, prepared: readonly Uint8Array[]): Promise<Figures> {
    const latencies: number[] = [];
    let next = 0;
    let errors = 0;
    const started = performance.now();
    const deadline = started + PHASE_MS;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < deadline) {
          const payload = prepared[next++ % prepared.length] as Uint8Array;
          const ok = await this.timedRequest(subject, payload, latencies).catch(() => false);
          if (!ok) errors++;
        }
      }),
    );
    return figures(latencies, (performance.now() - started) / 1000, errors);
  }

  /** Requests sent on a fixed schedule of `rate` per second for `PHASE_MS` (open loop). */
  async paced(subject: string, prepared: readonly Uint8Array[], rate: number): Promise<Figures> {
    const latencies: number[] = [];
    const pending: Promise<void>[] = [];
    let errors = 0;
    const started = performance.now();
    const total = Math.floor((rate * PHASE_MS) / 1000);
    for (let sent = 0; sent < total; ) {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
      for (; sent < due; sent++) {
        const payload = prepared[sent % prepared.length] as Uint8Array;
        pending.push(
          this.timedRequest(subject, payload, latencies).then(
            (ok) => {
              if (!ok) errors++;
            },
            () => {
              errors++;
            },
          ),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all(pending);
    return figures(latencies, (performance.now() - started) / 1000, errors);
  }

  /**
   * One run of a phase, payloads prepared first (enough for 40,000 requests per second) so
   * that building them costs the run nothing. Saves carry a fresh Call-ID each (a new Call-ID
   * replaces the binding), so none is refused as out of order.
   */
  async run(command: LoadCommand): Promise<PhaseResult> {
    const { plan } = command;
    const from = command.rate === undefined ? 0 : 500_000;
    const payloadOf =
      plan.payload === "save"
        ? (index: number) => savePayload(plan.offset + from + index)
        : (index: number) => lookupPayload(from + index);
    const count = Math.ceil(((command.rate ?? 40_000) * PHASE_MS) / 1000);
    const prepared = Array.from({ length: count }, (_, index) => payloadOf(index));
    // The payloads are promoted now rather than by the first collections of the run.
    gc();
    const figures =
      command.rate === undefined
        ? await this.closedLoop(plan.subject, prepared)
        : await this.paced(plan.subject, prepared, command.rate);
    return { ...figures, firstFailure: this.#takeFailure() };
  }

  #takeFailure(): string | undefined {
    const failure = this.firstFailure;
    this.firstFailure = undefined;
    return failure;
  }
}

/** A run the load process is asked for: closed loop, or paced at `rate` per second. */
interface LoadCommand {
  readonly plan: PhasePlan;
  readonly rate?: number | undefined;
}

/** The load process's side: runs each command it is sent and answers with its figures. */
async function driveLoad(servers: string): Promise<void> {
  const nc = await connect({ servers });
  const load = new Load(new RequestMux(nc));
  process.on("message", (command: LoadCommand | "exit") => {
    if (command === "exit") {
      void nc.close().finally(() => process.disconnect());
      return;
    }
    void load.run(command).then((result) => process.send?.(result));
  });
  process.send?.("ready");
}

/** The load runs in a child process: the service keeps this process's event loop to itself. */
class LoadProcess {
  readonly #child: ChildProcess;
  readonly #exited: Promise<never>;

  private constructor(child: ChildProcess) {
    this.#child = child;
    this.#exited = new Promise((_, reject) => {
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`the load process exited with ${code}`)));
    });
    this.#exited.catch(() => {});
  }

  static async start(): Promise<LoadProcess> {
    const child = fork(fileURLToPath(import.meta.url), [LOAD_ROLE, NATS_URL], {
      execArgv: ["--expose-gc", ...process.execArgv],
    });
    const load = new LoadProcess(child);
    await Promise.race([once(child, "message"), load.#exited]);
    return load;
  }

  run(command: LoadCommand): Promise<PhaseResult> {
    const answer = once(this.#child, "message").then(([result]) => result as PhaseResult);
    this.#child.send(command);
    return Promise.race([answer, this.#exited]);
  }

  async stop(): Promise<void> {
    const exited = once(this.#child, "exit");
    this.#child.send("exit");
    await exited;
  }
}

/** Milliseconds with two decimals; "-" when nothing was answered (the IPC turns NaN to null). */
const ms = (value: number | null) => (value === null ? "-" : value.toFixed(2));

function report(name: string, result: PhaseResult, loopDelay: IntervalHistogram): void {
  const rate = Math.round(result.requests / result.seconds);
  const errors =
    result.errors > 0
      ? `   errors ${result.errors} (first: ${result.firstFailure ?? "no reply"})`
      : "";
  const loop = `service loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms`;
  console.log(
    `${name.padEnd(42)} ${String(rate).padStart(7)} req/s   p50 ${ms(result.p50)} ms   p99 ${ms(result.p99)} ms   (${loop})${errors}`,
  );
}

/** Resolves once the write-back backlog is in MySQL (at once in the other modes). */
async function backlogWritten(service: LocationServiceHandle): Promise<void> {
  await eventually(
    "the write-back backlog to reach MySQL",
    async () => (service.store.lagSeconds() > 0 ? undefined : true),
    BACKLOG_TIMEOUT_MS,
  );
}

/**
 * Before each run: the write-back backlog of the previous one written and a full GC, so
 * that a run does not pay for the one before it.
 */
async function settle(service: LocationServiceHandle): Promise<void> {
  await backlogWritten(service);
  gc();
}

/** A phase's two runs, each reported with the service's event-loop delay during it. */
async function measure(service: LocationServiceHandle, plan: PhasePlan): Promise<void> {
  const load = await LoadProcess.start();
  try {
    const commands: [string, LoadCommand][] = [
      [`${plan.name}, ${CONCURRENCY} in flight`, { plan }],
    ];
    commands.push([`${plan.name} paced at ${plan.target / 2}/s`, { plan, rate: plan.target / 2 }]);
    for (const [name, command] of commands) {
      await settle(service);
      // How long the service's event loop was held up: tells the service's own stalls
      // apart from time spent in NATS, the load process or other processes on the machine.
      const loopDelay = monitorEventLoopDelay({ resolution: 1 });
      loopDelay.enable();
      const result = await load.run(command);
      loopDelay.disable();
      report(name, result, loopDelay);
    }
  } finally {
    await load.stop();
  }
}

/** Saves `count` bindings straight into the store, decoded from JSON like requests off the wire. */
async function fill(service: LocationServiceHandle, prefix: string, count: number): Promise<void> {
  const decoder = new TextDecoder();
  for (let index = 0; index < count; index++) {
    const request = JSON.parse(decoder.decode(savePayload(index, prefix)));
    await service.store.save(request.aor, request);
  }
  // Steady state: the write-back backlog written, so only the bindings remain.
  await backlogWritten(service);
}

function settledMemory(): NodeJS.MemoryUsage {
  gc();
  gc();
  return process.memoryUsage();
}

/**
 * What 100,000 bindings add to the process: RSS and heap after a full GC, against the same
 * instance warmed up with 20,000 other bindings (so that connection pools, buffers, JIT code
 * and the young generation have grown before the first figure is taken).
 */
async function measureMemory(service: LocationServiceHandle): Promise<void> {
  const warmUp = 20_000;
  await fill(service, "warm", warmUp);
  const before = settledMemory();
  await fill(service, "user", BINDINGS);
  const after = settledMemory();
  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  console.log(
    `memory for ${BINDINGS} bindings: RSS +${mib(after.rss - before.rss)} MiB, heap +${mib(after.heapUsed - before.heapUsed)} MiB (after gc)`,
  );
}

async function main(): Promise<void> {
  console.log(
    `location benchmark: ${PHASE_MS / 1000} s per phase, ${CONCURRENCY} concurrent callers`,
  );
  try {
    let service = await start("write-back");
    await measureMemory(service);
    await measure(service, {
      name: "save (write-back)",
      subject: names.locationSave,
      target: SAVE_TARGET,
      payload: "save",
      offset: 1e6,
    });
    await measure(service, {
      name: "lookup",
      subject: names.locationLookup,
      target: LOOKUP_TARGET,
      payload: "lookup",
      offset: 0,
    });
    await service.stop();

    service = await start("durable");
    await measure(service, {
      name: "save (durable, group commit)",
      subject: names.locationSave,
      target: SAVE_TARGET,
      payload: "save",
      offset: 3e6,
    });
    await service.stop();
  } finally {
    await dropDatabase(mysqlUrl);
  }
}

const loadRole = process.argv.indexOf(LOAD_ROLE);
if (loadRole >= 0) {
  await driveLoad(process.argv[loadRole + 1] ?? NATS_URL);
} else {
  await main();
}
