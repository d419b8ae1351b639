// Throughput and latency of location.v1.save (write-back, and durable with group commit) and
// location.v1.lookup over real NATS against an in-process instance on real MySQL, then the
// same at half that rate, paced; and the memory 100,000 bindings take.
//
//   npm run bench -- location
//
// Re-runs itself with --expose-gc so that the memory figure is measured after a full GC.

import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { subjects } from "@switchboard/contracts";
import { connectNats, createLogger, dropDatabase, type NatsConnection } from "@switchboard/kit";
import { loadLocationConfig } from "../config.js";
import { type LocationServiceHandle, startLocationService } from "../service.js";

if (typeof globalThis.gc !== "function") {
  const self = fileURLToPath(import.meta.url);
  const run = spawnSync(process.execPath, ["--expose-gc", ...process.execArgv, self], {
    stdio: "inherit",
  });
  process.exit(run.status ?? 1);
}
const gc = globalThis.gc as () => void;

const PHASE_MS = 4000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const BINDINGS = 100_000;
const logger = createLogger({ service: "location-bench", level: "silent" });
const unique = randomBytes(4).toString("hex");
const prefix = `bench.loc_${unique}`;
const mysqlUrl = `${(process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306").replace(/\/$/, "")}/sb_loc_bench_${unique}`;
const names = subjects(prefix);
const encoder = new TextEncoder();

function configFor(mode: string) {
  return loadLocationConfig({
    MYSQL_URL: mysqlUrl,
    NATS_URL: process.env.NATS_URL ?? "nats://127.0.0.1:4222",
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
  return encoder.encode(
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
  return encoder.encode(
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

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
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

let firstFailure: string | undefined;

async function timedRequest(
  nc: NatsConnection,
  subject: string,
  payload: Uint8Array,
  latencies: number[],
): Promise<boolean> {
  const started = performance.now();
  const reply = await nc.request(subject, payload, { timeout: 5000 });
  latencies.push(performance.now() - started);
  const text = new TextDecoder().decode(reply.data);
  const failed = text.startsWith('{"error"') || text.includes('"ok":false');
  if (failed && firstFailure === undefined) firstFailure = text;
  return !failed;
}

/**
 * Payloads made before a phase starts, so that building them costs the phase nothing: enough
 * for `rate` requests per second during the phase.
 */
function payloads(
  payloadOf: (index: number) => Uint8Array,
  rate: number,
  offset = 0,
): Uint8Array[] {
  return Array.from({ length: Math.ceil((rate * PHASE_MS) / 1000) }, (_, i) =>
    payloadOf(offset + i),
  );
}

/** As many requests as `CONCURRENCY` callers can make in `PHASE_MS`. */
async function closedLoop(
  nc: NatsConnection,
  subject: string,
  prepared: readonly Uint8Array[],
): Promise<Figures> {
  const latencies: number[] = [];
  const payloadOf = (index: number) => prepared[index % prepared.length] as Uint8Array;
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + PHASE_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const ok = await timedRequest(nc, subject, payloadOf(next++), latencies).catch(() => false);
        if (!ok) errors++;
      }
    }),
  );
  return figures(latencies, (performance.now() - started) / 1000, errors);
}

/** Requests sent on a fixed schedule of `rate` per second for `PHASE_MS` (open loop). */
async function paced(
  nc: NatsConnection,
  subject: string,
  prepared: readonly Uint8Array[],
  rate: number,
): Promise<Figures> {
  const latencies: number[] = [];
  const payloadOf = (index: number) => prepared[index % prepared.length] as Uint8Array;
  const pending: Promise<void>[] = [];
  let errors = 0;
  const started = performance.now();
  const total = Math.floor((rate * PHASE_MS) / 1000);
  for (let sent = 0; sent < total; ) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
    for (; sent < due; sent++) {
      pending.push(
        timedRequest(nc, subject, payloadOf(sent), latencies).then(
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

function report(name: string, result: Figures): void {
  const rate = Math.round(result.requests / result.seconds);
  console.log(
    `${name.padEnd(34)} ${String(rate).padStart(7)} req/s   p50 ${result.p50.toFixed(2)} ms   p99 ${result.p99.toFixed(2)} ms${
      result.errors > 0 ? `   errors ${result.errors} (first: ${firstFailure})` : ""
    }`,
  );
  firstFailure = undefined;
}

/** Saves `count` bindings straight into the store, decoded from JSON like requests off the wire. */
async function fill(service: LocationServiceHandle, prefix: string, count: number): Promise<void> {
  const decoder = new TextDecoder();
  for (let index = 0; index < count; index++) {
    const request = JSON.parse(decoder.decode(savePayload(index, prefix)));
    await service.store.save(request.aor, request);
  }
  // Steady state: the write-back backlog written, so only the bindings remain.
  while (service.store.lagSeconds() > 0) await new Promise((resolve) => setTimeout(resolve, 50));
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

const nc = await connectNats({
  servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222",
  name: "location-bench",
  logger,
});
try {
  console.log(
    `location benchmark: ${PHASE_MS / 1000} s per phase, ${CONCURRENCY} concurrent callers`,
  );
  let service = await start("write-back");
  await measureMemory(service);

  // Saves carry a fresh Call-ID each (a new Call-ID replaces the binding), so none is
  // refused as out of order; enough payloads are prepared for 40,000 saves per second.
  const rateOf = (result: Figures) => result.requests / result.seconds / 2;
  const saveWriteBack = await closedLoop(
    nc,
    names.locationSave,
    payloads(savePayload, 40_000, 1_000_000),
  );
  report("save (write-back)", saveWriteBack);
  const lookups = payloads(lookupPayload, 40_000);
  const lookup = await closedLoop(nc, names.locationLookup, lookups);
  report("lookup", lookup);
  const halfSaves = payloads(savePayload, rateOf(saveWriteBack), 2_000_000);
  report(
    "save (write-back) at half rate",
    await paced(nc, names.locationSave, halfSaves, rateOf(saveWriteBack)),
  );
  report("lookup at half rate", await paced(nc, names.locationLookup, lookups, rateOf(lookup)));
  await service.stop();

  service = await start("durable");
  const durableSaves = payloads(savePayload, 40_000, 3_000_000);
  const saveDurable = await closedLoop(nc, names.locationSave, durableSaves);
  report("save (durable, group commit)", saveDurable);
  const halfDurable = payloads(savePayload, rateOf(saveDurable), 4_000_000);
  report(
    "save (durable) at half rate",
    await paced(nc, names.locationSave, halfDurable, rateOf(saveDurable)),
  );
  await service.stop();
} finally {
  await nc.drain();
  await dropDatabase(mysqlUrl);
}
