// auth.v1.verify throughput and latency over the real NATS, against an auth instance
// started in-process on the real MySQL: MD5, qop=auth, HA1 cached, each request with
// the next nonce-count of its nonce.
//   1. closed loop: CONCURRENCY requests in flight for DURATION_MS → requests/s, p50, p99;
//   2. open loop, paced at half the 20,000/s target → p50, p99.
// The load comes from a child process with its own NATS connection, as the edge proxy's
// requests would, so that the service's event loop carries only the service.

import { fork } from "node:child_process";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { RequestMux } from "@switchboard/kit";
import { percentile } from "@switchboard/kit/testing";
import {
  buildDigestAuthorization,
  type DigestChallenge,
  parseDigestChallenge,
} from "@switchboard/sip";
import { connect } from "nats";
import { startAuthTestEnv } from "../service-test-env.js";

const DURATION_MS = 5000;
/** The throughput target on a 2-core machine; latency is measured at half of it. */
const TARGET_RATE = 20_000;
const CONCURRENCY = 64;
const REALM = "bench.example";
const URI = "sip:bench.example";
const USERNAME = "bench";
const PASSWORD = "bench-password";
const REPLY_TIMEOUT_MS = 2000;
/** Requests prepared per client and run: more than a closed loop at 40,000/s sends. */
const PREPARED_PER_CLIENT = Math.ceil((40_000 * DURATION_MS) / 1000 / CONCURRENCY);
const OK_REPLY = /^\{"ok":true/;

const LOAD_ROLE = "--drive-load";
/** The load process runs with --expose-gc. */
const gc = () => (globalThis.gc as () => void)();

/** What the service side tells the load process. */
interface LoadPlan {
  readonly servers: readonly string[];
  readonly subject: string;
  /** One challenge header per simulated client. */
  readonly challenges: readonly string[];
}

/** What the load process reports for one run. */
interface RunResult {
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
  readonly answered: number;
  readonly failed: number;
  /** The load process's own event-loop delay, p99 in ms: its stalls inflate the latencies. */
  readonly loadLoopP99: number;
}

/**
 * One simulated client: a nonce of its own and its running nonce-count. Its next requests
 * are computed before a run, so that the load process spends the run sending and receiving
 * (a phone's digest computation is not the service's cost).
 */
class Client {
  #count = 0;
  /** The prepared requests back to back in one buffer (one ArrayBuffer for the GC to track). */
  #prepared = Buffer.alloc(0);
  #ends: number[] = [];
  #next = 0;
  constructor(readonly challenge: DigestChallenge) {}

  prepare(requests: number): void {
    const built = Array.from({ length: requests }, () => this.#build());
    this.#prepared = Buffer.concat(built);
    let end = 0;
    this.#ends = built.map((request) => {
      end += request.length;
      return end;
    });
    this.#next = 0;
  }

  nextRequest(): Uint8Array {
    const index = this.#next++;
    const end = this.#ends[index];
    if (end === undefined) return this.#build();
    return this.#prepared.subarray(index === 0 ? 0 : this.#ends[index - 1], end);
  }

  #build(): Uint8Array {
    const authorization = buildDigestAuthorization(this.challenge, {
      username: USERNAME,
      password: PASSWORD,
      method: "REGISTER",
      uri: URI,
      cnonce: "0a4f113b",
      nc: ++this.#count,
    });
    return Buffer.from(
      JSON.stringify({ authorization, method: "REGISTER", realm: REALM, requestUri: URI }),
    );
  }
}

class Run {
  readonly #samples: number[] = [];
  readonly #decoder = new TextDecoder();
  readonly #started = performance.now();
  readonly #loopDelay = monitorEventLoopDelay({ resolution: 1 });
  failed = 0;

  constructor(
    readonly mux: RequestMux,
    readonly subject: string,
  ) {
    this.#loopDelay.enable();
  }

  async verify(client: Client): Promise<void> {
    const payload = client.nextRequest();
    const sent = performance.now();
    try {
      const reply = await this.mux.send(this.subject, payload, REPLY_TIMEOUT_MS);
      this.#samples.push(performance.now() - sent);
      if (!OK_REPLY.test(this.#decoder.decode(reply))) this.failed++;
    } catch {
      this.failed++;
    }
  }

  result(requests: number): RunResult {
    this.#loopDelay.disable();
    const seconds = (performance.now() - this.#started) / 1000;
    const sorted = [...this.#samples].sort((a, b) => a - b);
    return {
      rate: requests / seconds,
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      answered: sorted.length,
      failed: this.failed,
      loadLoopP99: this.#loopDelay.percentile(99) / 1e6,
    };
  }
}

async function closedLoop(mux: RequestMux, subject: string, clients: Client[]): Promise<RunResult> {
  for (const client of clients) client.prepare(PREPARED_PER_CLIENT);
  // The prepared requests are promoted now rather than by the first collections of the run.
  gc();
  const run = new Run(mux, subject);
  const end = performance.now() + DURATION_MS;
  let requests = 0;
  await Promise.all(
    clients.map(async (client) => {
      for (; performance.now() < end; requests++) await run.verify(client);
    }),
  );
  return run.result(requests);
}

async function pacedLoop(
  mux: RequestMux,
  subject: string,
  clients: Client[],
  rate: number,
): Promise<RunResult> {
  for (const client of clients) client.prepare(PREPARED_PER_CLIENT);
  // The prepared requests are promoted now rather than by the first collections of the run.
  gc();
  const run = new Run(mux, subject);
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  let sent = 0;
  while (performance.now() - started < DURATION_MS) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    for (; sent < due; sent++) {
      const request = run
        .verify(clients[sent % clients.length] as Client)
        .finally(() => inFlight.delete(request));
      inFlight.add(request);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inFlight);
  return run.result(sent);
}

/** The load side: connects, warms up, runs both loads, sends both results. */
async function driveLoad(plan: LoadPlan): Promise<void> {
  const nc = await connect({ servers: [...plan.servers] });
  // The edge proxy's way of sending requests (kit's request() adds only the JSON schemas).
  const mux = new RequestMux(nc);
  try {
    const clients = plan.challenges.map((header) => new Client(parseDigestChallenge(header)));
    const warmUp = new Run(mux, plan.subject);
    await Promise.all(clients.map((client) => warmUp.verify(client)));
    const saturated = await closedLoop(mux, plan.subject, clients);
    const paced = await pacedLoop(mux, plan.subject, clients, TARGET_RATE / 2);
    process.send?.([saturated, paced]);
  } finally {
    await nc.close();
  }
}

function report(label: string, result: RunResult): void {
  console.log(
    `${label}: ${Math.round(result.rate)} verify/s, p50 ${result.p50.toFixed(2)} ms, ` +
      `p99 ${result.p99.toFixed(2)} ms (${result.answered} answered, ${result.failed} failed; ` +
      `load process event-loop delay p99 ${result.loadLoopP99.toFixed(1)} ms)`,
  );
}

function runLoadProcess(plan: LoadPlan): Promise<[RunResult, RunResult]> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [LOAD_ROLE], {
      execArgv: ["--expose-gc", ...process.execArgv],
    });
    child.once("message", (results) => resolve(results as [RunResult, RunResult]));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the load process exited with ${code}`)));
    child.send(plan);
  });
}

async function main(): Promise<void> {
  const env = await startAuthTestEnv();
  try {
    await env.addSubscriber(USERNAME, REALM, PASSWORD);
    const challenges: string[] = [];
    for (let i = 0; i < CONCURRENCY; i++) {
      const [header] = await env.challenge({ realm: REALM });
      if (header !== undefined) challenges.push(header);
    }
    // How long the service's event loop was held up: tells the service's own stalls
    // apart from time spent in NATS, the load process or other processes on the machine.
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    loopDelay.enable();
    const [saturated, paced] = await runLoadProcess({
      servers: env.config.NATS_URL,
      subject: env.service.subjects.authVerify,
      challenges,
    });
    loopDelay.disable();
    report(`closed loop, ${CONCURRENCY} in flight`, saturated);
    report(`open loop paced at ${TARGET_RATE / 2}/s`, paced);
    const ms = (ns: number) => (ns / 1e6).toFixed(1);
    console.log(
      `service event-loop delay over both runs: p99 ${ms(loopDelay.percentile(99))} ms, max ${ms(loopDelay.max)} ms`,
    );
  } finally {
    await env.close();
  }
}

if (process.argv.includes(LOAD_ROLE)) {
  process.once(
    "message",
    (plan) => void driveLoad(plan as LoadPlan).finally(() => process.disconnect()),
  );
} else {
  await main();
}
