// Wires the location service: config → MySQL pool → migrations → binding store → NATS
// responders → admin HTTP. `startLocationService` is what main runs and what the
// integration tests start in-process.

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { AliasChangedEventSchema, subjects } from "@switchboard/contracts";
import {
  AorCache,
  adminTokenSecret,
  announceEvent,
  type Clock,
  clearOnReconnect,
  connectServiceNats,
  createLogger,
  createMetricsRegistry,
  createRpcMetrics,
  developmentSecretWarnings,
  type Listener,
  type Logger,
  listenHttp,
  mysqlReadinessCheck,
  type NatsConnection,
  natsReadinessCheck,
  openServiceDatabase,
  type RunningService,
  type ShutdownStep,
  standardShutdownSteps,
  startStep,
  stopOnce,
  systemClock,
} from "@switchboard/kit";
import { AliasDirectory } from "./alias-directory.js";
import { AliasRepository } from "./alias-repository.js";
import { buildAdminApp } from "./app.js";
import type { AorName } from "./binding.js";
import type { LocationConfig } from "./config.js";
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
  /** Start the expiry sweeper's timer; default true (tests sweep by hand). */
  readonly sweepOnTimer?: boolean;
}

/**
 * The running service. Its shutdown steps, in order: stop taking requests, let running ones
 * finish, stop the sweeper, write what is unwritten, drain NATS, close MySQL, close HTTP.
 */
export interface LocationServiceHandle extends RunningService {
  readonly store: LocationStore;
  readonly sweeper: ExpirySweeper;
}

// Writing a large write-back backlog may take a while; it is what a graceful stop is for.
const FLUSH_AT_STOP_TIMEOUT_MS = 60_000;
/** Aliases cached for lookup("aliases"); an alias changed through any instance is dropped at once. */
const ALIAS_CACHE_ENTRIES = 100_000;
/** How long a cached alias, and a cached "not an alias", are trusted should an event be lost. */
const ALIAS_POSITIVE_TTL_MS = 10 * 60_000;
const ALIAS_NEGATIVE_TTL_MS = 10_000;

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

/**
 * Starts the whole service; rejects with kit's StartupError naming the step that failed when
 * MySQL or NATS cannot be reached, or the HTTP port cannot be opened.
 */
export async function startLocationService(
  config: LocationConfig,
  options: LocationServiceOptions = {},
): Promise<LocationServiceHandle> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ service: "location", level: config.LOG_LEVEL });
  for (const warning of developmentSecretWarnings(config.NODE_ENV, [adminTokenSecret(config)])) {
    logger.warn(warning);
  }
  // Bounds each MySQL statement, and how long a save may wait for MySQL before it is answered
  // `unavailable`.
  const storageTimeoutMs = config.MYSQL_TIMEOUT_MS;

  const { pool, where } = await openServiceDatabase(config, {
    migrationsDir: MIGRATIONS_DIR,
    logger,
  });
  let nc: NatsConnection | undefined;
  let store: LocationStore | undefined;
  try {
    const registry = createMetricsRegistry({ service: "location" });
    const metrics = createLocationMetrics(registry);
    const repository = new LocationRepository(pool, storageTimeoutMs);
    const opened = await startStep(`cannot load the bindings from ${where}`, () =>
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

    const connection = await connectServiceNats(config, { name: "location", logger });
    nc = connection;
    const subjectNames = subjects(config.NATS_SUBJECT_PREFIX);
    const aliasCache = new AorCache<AorName>({
      maxEntries: ALIAS_CACHE_ENTRIES,
      positiveTtlMs: ALIAS_POSITIVE_TTL_MS,
      negativeTtlMs: ALIAS_NEGATIVE_TTL_MS,
      clock,
    });
    void clearOnReconnect(connection, aliasCache);
    const aliases = new AliasDirectory({
      repository: new AliasRepository(pool, storageTimeoutMs),
      cache: aliasCache,
      announceChange: (alias) =>
        announceEvent(
          connection,
          subjectNames.aliasChanged,
          AliasChangedEventSchema,
          alias,
          logger,
        ),
    });
    const listeners: Listener[] = serveLocation({
      nc,
      subjects: subjectNames,
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
    const httpUrl = await listenHttp(app, config);
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
    return {
      store: opened,
      app,
      sweeper,
      httpUrl,
      shutdownSteps,
      stop: stopOnce(shutdownSteps, logger),
    };
  } catch (error) {
    await store?.close().catch(() => {});
    await nc?.close().catch(() => {});
    await pool.end().catch(() => {});
    throw error;
  }
}
