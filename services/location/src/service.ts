// Wires the location service: config → MySQL pool → migrations → binding store → NATS
// responders → admin HTTP. `startLocationService` is what main runs and what the
// integration tests start in-process.

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { subjects } from "@switchboard/contracts";
import {
  connectNats,
  createLogger,
  createMetricsRegistry,
  createMysqlPool,
  createRpcMetrics,
  ensureDatabase,
  type Listener,
  type Logger,
  migrate,
  mysqlReadinessCheck,
  type NatsConnection,
  natsReadinessCheck,
  type Pool,
  runShutdownSteps,
  type ShutdownStep,
  standardShutdownSteps,
} from "@switchboard/kit";
import type { FastifyInstance } from "fastify";
import { AliasRepository } from "./alias-repository.js";
import { buildAdminApp } from "./app.js";
import { type Clock, systemClock } from "./clock.js";
import { DEV_ADMIN_TOKEN, databaseUrl, type LocationConfig } from "./config.js";
import { ExpirySweeper } from "./expiry-sweeper.js";
import { LocationRepository } from "./location-repository.js";
import type { LocationStore } from "./location-store.js";
import { DbLocationStore } from "./location-store-db.js";
import { MemoryLocationStore } from "./location-store-memory.js";
import { createLocationMetrics, type LocationMetrics } from "./metrics.js";
import type { Persistence } from "./persistence.js";
import { GroupCommitPersistence } from "./persistence-group-commit.js";
import { WriteBackPersistence } from "./persistence-write-back.js";
import { WriteThroughPersistence } from "./persistence-write-through.js";
import type { RegistrarLimits } from "./registrar.js";
import { serveLocation } from "./responders.js";
import { ruidGenerator } from "./ruid.js";

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../db/location");

export interface LocationServiceOptions {
  /** Time source of the registrar and the sweeper; the system clock by default. */
  readonly clock?: Clock;
  readonly logger?: Logger;
  /**
   * Bound on each MySQL statement, and on how long a save may wait for MySQL before it is
   * answered `unavailable`; default 1500 ms (below the edge's request timeout).
   */
  readonly storageTimeoutMs?: number;
  /** Start the expiry sweeper's timer; default true (tests sweep by hand). */
  readonly sweepOnTimer?: boolean;
}

export interface LocationServiceHandle {
  readonly store: LocationStore;
  readonly app: FastifyInstance;
  readonly sweeper: ExpirySweeper;
  /** Where the HTTP server listens, e.g. "http://0.0.0.0:8082". */
  readonly httpUrl: string;
  /**
   * The graceful stop, in order: stop taking requests, let running ones finish, stop the
   * sweeper, write what is unwritten, drain NATS, close MySQL, close HTTP.
   */
  readonly shutdownSteps: readonly ShutdownStep[];
  /** Runs the shutdown steps once; rejects naming the steps that failed. */
  stop(): Promise<void>;
}

// Writing a large write-back backlog may take a while; it is what a graceful stop is for.
const FLUSH_AT_STOP_TIMEOUT_MS = 60_000;

function persistenceFor(
  config: LocationConfig,
  repository: LocationRepository,
  clock: Clock,
  metrics: LocationMetrics,
): Persistence {
  switch (config.LOCATION_DB_MODE) {
    case "write-back":
      return new WriteBackPersistence(
        repository,
        clock,
        metrics.flushObserver,
        config.FLUSH_INTERVAL_MS,
      );
    case "write-through":
      return new WriteThroughPersistence(repository);
    default:
      return new GroupCommitPersistence(repository, clock, metrics.flushObserver);
  }
}

async function openStore(
  config: LocationConfig,
  repository: LocationRepository,
  clock: Clock,
  metrics: LocationMetrics,
  logger: Logger,
): Promise<LocationStore> {
  const limits: RegistrarLimits = {
    minExpires: config.MIN_EXPIRES,
    maxExpires: config.MAX_EXPIRES,
    defaultExpires: config.DEFAULT_EXPIRES,
    maxContacts: config.MAX_CONTACTS,
  };
  const newRuid = ruidGenerator();
  if (config.LOCATION_DB_MODE === "db-only") {
    return new DbLocationStore({ repository, clock, limits, newRuid });
  }
  return MemoryLocationStore.open({
    repository,
    persistence: persistenceFor(config, repository, clock, metrics),
    clock,
    limits,
    newRuid,
    onBackgroundError: (error) => logger.warn({ err: error }, "could not delete expired bindings"),
  });
}

/** Thrown by {@link startLocationService}: which start step failed, and why. */
export class LocationStartError extends Error {
  override name = "LocationStartError";
}

async function during<T>(step: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const reason =
      error instanceof Error ? error.message || (error as { code?: string }).code : error;
    throw new LocationStartError(`${step} failed: ${String(reason)}`, { cause: error });
  }
}

/** Starts the whole service; rejects with LocationStartError when MySQL or NATS fail. */
export async function startLocationService(
  config: LocationConfig,
  options: LocationServiceOptions = {},
): Promise<LocationServiceHandle> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ service: "location", level: config.LOG_LEVEL });
  const storageTimeoutMs = options.storageTimeoutMs ?? 1500;
  if (config.ADMIN_TOKEN === DEV_ADMIN_TOKEN) {
    logger.warn("ADMIN_TOKEN is not set: using the development token");
  }

  const url = databaseUrl(config);
  if (config.NODE_ENV !== "production")
    await during("creating the MySQL database", ensureDatabase(url));
  const pool: Pool = createMysqlPool(url, { connectTimeoutMs: storageTimeoutMs });
  let nc: NatsConnection | undefined;
  let store: LocationStore | undefined;
  try {
    await during("migrating the MySQL database", migrate(pool, MIGRATIONS_DIR, { logger }));
    const registry = createMetricsRegistry({ service: "location" });
    const metrics = createLocationMetrics(registry);
    const repository = new LocationRepository(pool, storageTimeoutMs);
    const aliases = new AliasRepository(pool, storageTimeoutMs);
    const opened = await during(
      "loading the bindings from MySQL",
      openStore(config, repository, clock, metrics, logger),
    );
    store = opened;
    metrics.watch(opened);
    logger.info({ mode: config.LOCATION_DB_MODE }, "binding store ready");

    const sweeper = new ExpirySweeper(opened, {
      intervalMs: config.EXPIRY_INTERVAL_S * 1000,
      onSwept: (count) => metrics.expired(count),
      onError: (error) => logger.warn({ err: error }, "expiry sweep failed"),
    });

    nc = await during(
      "connecting to NATS",
      connectNats({ servers: config.NATS_URL, name: "location", logger }),
    );
    const listeners: Listener[] = serveLocation({
      nc,
      subjects: subjects(config.NATS_SUBJECT_PREFIX),
      store: opened,
      aliases,
      clock,
      metrics,
      rpcMetrics: createRpcMetrics(registry),
      logger,
      saveDeadlineMs: storageTimeoutMs,
    });

    const app = buildAdminApp({
      store: opened,
      aliases,
      clock,
      adminToken: config.ADMIN_TOKEN,
      registry,
      logger,
      readinessChecks: [mysqlReadinessCheck(pool), natsReadinessCheck(nc)],
    });
    const httpUrl = await during(
      "opening the HTTP port",
      app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT }),
    );
    if (options.sweepOnTimer !== false) sweeper.start();
    const shutdownSteps: ShutdownStep[] = [
      ...standardShutdownSteps({ listeners }),
      { name: "stop the expiry sweeper", run: () => sweeper.stop() },
      {
        name: "write unwritten bindings",
        run: () => opened.close(),
        timeoutMs: FLUSH_AT_STOP_TIMEOUT_MS,
      },
      ...standardShutdownSteps({ nats: nc, logger, pool, app }),
    ];
    let stopping: Promise<void> | undefined;
    const stop = async () => {
      const { failed } = await runShutdownSteps(shutdownSteps, logger);
      if (failed.length > 0) throw new Error(`shutdown steps failed: ${failed.join(", ")}`);
    };
    return {
      store: opened,
      app,
      sweeper,
      httpUrl,
      shutdownSteps,
      stop: () => {
        stopping ??= stop();
        return stopping;
      },
    };
  } catch (error) {
    await store?.close().catch(() => {});
    await nc?.close().catch(() => {});
    await pool.end().catch(() => {});
    throw error;
  }
}
