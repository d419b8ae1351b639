// Graceful shutdown on SIGTERM/SIGINT: ordered steps, each bounded in time; a failed
// step is logged and the others still run; a second signal exits at once.

import type { FastifyInstance } from "fastify";
import type { NatsConnection } from "nats";
import type { Listener } from "./listener.js";
import type { Logger } from "./logger.js";
import type { Pool } from "./mysql.js";
import { withTimeout } from "./timeout.js";

/** One thing to do at shutdown. */
export interface ShutdownStep {
  /** Logged: `"drain NATS"`, `"close MySQL pool"`. */
  readonly name: string;
  /** May return a promise; the next step starts when it settles. */
  run(): unknown;
  /** A step still running after this long counts as failed; default 10 000 ms. */
  readonly timeoutMs?: number;
}

export interface ShutdownReport {
  /** Names of the steps that threw or timed out, in order. */
  readonly failed: readonly string[];
}

/** Runs `steps` one after the other; failures are logged and do not stop the rest. */
export async function runShutdownSteps(
  steps: readonly ShutdownStep[],
  logger: Logger,
): Promise<ShutdownReport> {
  const failed: string[] = [];
  for (const step of steps) {
    const started = performance.now();
    try {
      await withTimeout(
        Promise.resolve(step.run()),
        step.timeoutMs ?? 10_000,
        `shutdown step "${step.name}"`,
      );
      logger.info(
        { step: step.name, ms: Math.round(performance.now() - started) },
        "shutdown step done",
      );
    } catch (error) {
      failed.push(step.name);
      logger.error({ err: error, step: step.name }, "shutdown step failed");
    }
  }
  return { failed };
}

/**
 * A function that runs `steps` the first time it is called; later calls share that run. It
 * rejects naming the steps that failed.
 */
export function stopOnce(steps: readonly ShutdownStep[], logger: Logger): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    const { failed } = await runShutdownSteps(steps, logger);
    if (failed.length > 0) throw new Error(`shutdown steps failed: ${failed.join(", ")}`);
  };
  return () => {
    stopping ??= stop();
    return stopping;
  };
}

/** A started service, as its main and in-process tests use it. */
export interface RunningService {
  readonly app: FastifyInstance;
  /** The base URL the HTTP server listens on, e.g. `http://0.0.0.0:8081`. */
  readonly httpUrl: string;
  /** What to run at shutdown, in order (main hands them to {@link installShutdownHandler}). */
  readonly shutdownSteps: readonly ShutdownStep[];
  /** Runs the shutdown steps once ({@link stopOnce}); rejects naming the steps that failed. */
  stop(): Promise<void>;
}

/** What signals come from: `process`, or an EventEmitter in tests. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface ShutdownOptions {
  /** Read when the signal arrives, so steps may be pushed after installing. */
  readonly steps: readonly ShutdownStep[];
  readonly logger: Logger;
  /** Default SIGTERM (Kubernetes, docker stop) and SIGINT (Ctrl-C). */
  readonly signals?: readonly NodeJS.Signals[];
  /** Default `process`. */
  readonly source?: SignalSource;
  /** Default `process.exit`. */
  readonly exit?: (code: number) => void;
}

/**
 * On the first signal, runs the steps and exits with status 0, or 1 when a step failed.
 * A second signal during the shutdown exits at once with status 1.
 *
 * @returns a function that removes the signal handlers.
 */
export function installShutdownHandler(options: ShutdownOptions): () => void {
  const { logger } = options;
  const signals = options.signals ?? ["SIGTERM", "SIGINT"];
  const source = options.source ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let shuttingDown = false;

  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      logger.warn({ signal }, "second signal during shutdown, exiting now");
      exit(1);
      return;
    }
    shuttingDown = true;
    logger.info({ signal }, "shutting down");
    void runShutdownSteps(options.steps, logger).then(({ failed }) => {
      if (failed.length > 0) logger.error({ failed }, "shutdown finished with failed steps");
      else logger.info("shutdown complete");
      exit(failed.length > 0 ? 1 : 0);
    });
  };

  for (const signal of signals) source.on(signal, onSignal);
  return () => {
    for (const signal of signals) source.off(signal, onSignal);
  };
}

/** The parts of a typical service, each optional. */
export interface ServiceResources {
  /** Responders and event listeners. */
  readonly listeners?: readonly Listener[];
  /** How long running handlers may take to finish; default 5000 ms. */
  readonly inFlightTimeoutMs?: number;
  readonly nats?: NatsConnection;
  readonly logger?: Logger;
  readonly pool?: Pool;
  readonly app?: FastifyInstance;
}

/**
 * The usual order: stop taking requests, wait (bounded) for the running ones, drain NATS
 * (pending replies are flushed), flush logs, close the MySQL pool, close the HTTP server last
 * so that metrics stay readable until the end.
 */
export function standardShutdownSteps(resources: ServiceResources): ShutdownStep[] {
  const { listeners = [], nats, logger, pool, app } = resources;
  const inFlightTimeoutMs = resources.inFlightTimeoutMs ?? 5000;
  const steps: ShutdownStep[] = [];
  if (listeners.length > 0) {
    steps.push({
      name: "stop taking requests",
      run: () => Promise.all(listeners.map((listener) => listener.stop())),
    });
    steps.push({
      name: "wait for running handlers",
      timeoutMs: inFlightTimeoutMs + 1000,
      run: async () => {
        const settled = await Promise.all(
          listeners.map((listener) => listener.settled(inFlightTimeoutMs)),
        );
        if (settled.includes(false))
          throw new Error(`handlers still running after ${inFlightTimeoutMs} ms`);
      },
    });
  }
  if (nats) steps.push({ name: "drain NATS", run: () => nats.drain() });
  if (logger) {
    steps.push({
      name: "flush logs",
      run: () =>
        new Promise<void>((resolve, reject) =>
          logger.flush((error) => (error ? reject(error) : resolve())),
        ),
    });
  }
  if (pool) steps.push({ name: "close MySQL pool", run: () => pool.end() });
  if (app) steps.push({ name: "close HTTP server", run: () => app.close() });
  return steps;
}
