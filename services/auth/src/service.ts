// Wiring of the auth service: config → logger → MySQL pool → migrations → NATS →
// responders → HTTP. main.ts runs it for real; tests start it in-process the same way.

import { fileURLToPath } from "node:url";
import {
  type Subjects,
  SubscriberChangedEventSchema,
  subjects as subjectsFor,
} from "@switchboard/contracts";
import {
  AorCache,
  announceEvent,
  type Clock,
  clearOnReconnect,
  connectServiceNats,
  createLogger,
  createMetricsRegistry,
  createRpcMetrics,
  type Listener,
  type Logger,
  listenHttp,
  mysqlReadinessCheck,
  type NatsConnection,
  natsReadinessCheck,
  openServiceDatabase,
  type Pool,
  type RunningService,
  runShutdownSteps,
  type ShutdownStep,
  standardShutdownSteps,
  stopOnce,
  systemClock,
} from "@switchboard/kit";
import { buildAdminApp } from "./app.js";
import { Challenger } from "./challenger.js";
import type { AuthConfig } from "./config.js";
import { CredentialVerifier } from "./credential-verifier.js";
import { Ha1Lookup, type Ha1Set } from "./ha1-lookup.js";
import { createAuthMetrics } from "./metrics.js";
import { startAuthNatsHandlers } from "./nats-handlers.js";
import { NonceCodec } from "./nonce.js";
import { NonceCountTracker } from "./nonce-count-tracker.js";
import { SubscriberAdmin } from "./subscriber-admin.js";
import { SubscriberCount } from "./subscriber-count.js";
import { SubscriberRepository } from "./subscriber-repository.js";

/** The auth service's migrations, `db/auth/` (from `src/` and `dist/` alike). */
export const MIGRATIONS_DIR = fileURLToPath(new URL("../../../db/auth/", import.meta.url));

const HA1_CACHE_ENTRIES = 100_000;
const HA1_POSITIVE_TTL_MS = 10 * 60_000;
const HA1_NEGATIVE_TTL_MS = 10_000;
const TRACKED_NONCES = 100_000;
const SUBSCRIBER_COUNT_INTERVAL_MS = 60_000;

export interface AuthServiceOptions {
  /** Default: a JSON logger on stdout at config.LOG_LEVEL. */
  readonly logger?: Logger;
  /** Wall-clock time for nonces and cache TTLs; default the system clock. */
  readonly clock?: Clock;
}

export interface AuthService extends RunningService {
  readonly nc: NatsConnection;
  readonly pool: Pool;
  readonly subjects: Subjects;
}

/**
 * Starts everything; on failure, closes what was opened and throws kit's StartupError
 * naming the step that failed.
 */
export async function startAuthService(
  config: AuthConfig,
  options: AuthServiceOptions = {},
): Promise<AuthService> {
  const logger = options.logger ?? createLogger({ service: "auth", level: config.LOG_LEVEL });
  const clock = options.clock ?? systemClock;
  const opened: ShutdownStep[] = [];
  try {
    const { pool } = await openServiceDatabase(config, { migrationsDir: MIGRATIONS_DIR, logger });
    opened.push({ name: "close MySQL pool", run: () => pool.end() });
    const nc = await connectServiceNats(config, { name: "auth", logger });
    opened.unshift({ name: "close NATS", run: () => nc.close() });
    return await wire(config, { logger, clock, pool, nc });
  } catch (error) {
    await runShutdownSteps(opened, logger);
    throw error;
  }
}

async function wire(
  config: AuthConfig,
  resources: { logger: Logger; clock: Clock; pool: Pool; nc: NatsConnection },
): Promise<AuthService> {
  const { logger, clock, pool, nc } = resources;
  const subjects = subjectsFor(config.NATS_SUBJECT_PREFIX);
  const registry = createMetricsRegistry({ service: "auth" });
  const metrics = createAuthMetrics(registry);
  const repository = new SubscriberRepository(pool, { timeoutMs: config.MYSQL_TIMEOUT_MS });
  const cache = new AorCache<Ha1Set>({
    maxEntries: HA1_CACHE_ENTRIES,
    positiveTtlMs: HA1_POSITIVE_TTL_MS,
    negativeTtlMs: HA1_NEGATIVE_TTL_MS,
    clock,
  });
  const nonces = new NonceCodec({
    secret: config.NONCE_SECRET,
    lifetimeMs: config.NONCE_LIFETIME_S * 1000,
    clock,
  });
  const subscriberCount = new SubscriberCount({
    count: () => repository.count(),
    publish: metrics.setSubscribers,
    logger,
    intervalMs: SUBSCRIBER_COUNT_INTERVAL_MS,
  });

  const listeners: Listener[] = startAuthNatsHandlers({
    nc,
    subjects,
    logger,
    challenger: new Challenger({ nonces, algorithms: config.AUTH_ALGORITHMS }),
    verifier: new CredentialVerifier({
      nonces,
      nonceCounts: new NonceCountTracker({ maxEntries: TRACKED_NONCES, clock }),
      ha1s: new Ha1Lookup({
        cache,
        store: repository,
        calculateHa1: config.AUTH_CALCULATE_HA1,
        onLookup: metrics.cacheLookup,
      }),
      algorithms: config.AUTH_ALGORITHMS,
    }),
    metrics,
    rpcMetrics: createRpcMetrics(registry),
    onSubscriberChanged: (username, domain) => {
      cache.invalidate(username, domain);
      void subscriberCount.refresh();
    },
  });
  void clearOnReconnect(nc, cache);
  await subscriberCount.refresh();

  const admin = new SubscriberAdmin({
    repository,
    cache,
    keepPassword: config.AUTH_CALCULATE_HA1,
    announceChange: (aor) =>
      announceEvent(nc, subjects.subscriberChanged, SubscriberChangedEventSchema, aor, logger),
  });
  const app = buildAdminApp({
    admin,
    adminToken: config.ADMIN_TOKEN,
    registry,
    logger,
    readinessChecks: [mysqlReadinessCheck(pool), natsReadinessCheck(nc)],
  });
  const shutdownSteps: ShutdownStep[] = [
    { name: "stop counting subscribers", run: () => subscriberCount.stop() },
    ...standardShutdownSteps({ listeners, nats: nc, logger, pool, app }),
  ];
  let httpUrl: string;
  try {
    httpUrl = await listenHttp(app, config);
  } catch (error) {
    await runShutdownSteps(shutdownSteps, logger);
    throw error;
  }

  return {
    app,
    nc,
    pool,
    subjects,
    httpUrl,
    shutdownSteps,
    stop: stopOnce(shutdownSteps, logger),
  };
}
