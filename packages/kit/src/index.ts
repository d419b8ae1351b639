// Service plumbing shared by every Switchboard service: configuration, logs, metrics,
// probes and the admin API, NATS request/reply, MySQL, migrations, the start steps and entry
// points (main, migrate), graceful shutdown, and wall-clock time. Test support is the
// separate entry `@switchboard/kit/testing`; the Node.js flags a service process starts with
// are `@switchboard/kit/service-node-flags`, light enough for a launcher to import.

export {
  type AdminAppOptions,
  type AdminErrorReply,
  buildServiceAdminApp,
} from "./admin-app.js";
export { AorCache, type AorCacheOptions } from "./aor-cache.js";
export { requireBearerToken } from "./bearer-auth.js";
export { type Clock, systemClock } from "./clock.js";
export {
  ConfigError,
  type ConfigOf,
  type ConfigProblem,
  type ConfigSpec,
  type ConfigVar,
  type ConfigVarDescription,
  describeConfig,
  type Environment,
  loadConfig,
  loadConfigOrExit,
} from "./config.js";
export { commonConfig, LOG_LEVELS, type LogLevel, NODE_ENVS } from "./config-common.js";
export {
  databaseUrl,
  type MysqlConfig,
  type MysqlConfigOptions,
  mysqlConfig,
} from "./config-mysql.js";
export {
  adminTokenConfig,
  adminTokenProblems,
  adminTokenSecret,
  DEV_ADMIN_TOKEN,
  type DevelopmentSecret,
  developmentSecretWarnings,
  productionSecretProblems,
} from "./config-secrets.js";
export { envValue } from "./config-values.js";
export { isUnavailableError, UnavailableError } from "./errors.js";
export {
  announceEvent,
  clearOnReconnect,
  InvalidEventError,
  publishEvent,
  subscribeEvents,
} from "./events.js";
export { Generations } from "./generations.js";
export {
  buildServiceApp,
  type ReadinessCheck,
  type ReadinessReport,
  type ServiceAppOptions,
} from "./http.js";
export type { Listener } from "./listener.js";
export { createLogger, type Logger, type LoggerOptions } from "./logger.js";
export {
  Counter,
  createCounter,
  createGauge,
  createHistogram,
  createMetricsRegistry,
  Gauge,
  Histogram,
  MetricDefinitionError,
  Registry,
} from "./metrics.js";
export {
  ForeignMigrationError,
  type MigrateOptions,
  type MigrateResult,
  MigrationChecksumError,
  MigrationLockError,
  migrate,
} from "./migrate.js";
export {
  type MigrationCommandConfig,
  type MigrationCommandOptions,
  runMigrationCommand,
} from "./migration-command.js";
export { type Migration, MigrationError } from "./migration-files.js";
export {
  createMysqlPool,
  dropDatabase,
  ensureDatabase,
  type MysqlPoolOptions,
  mysqlReadinessCheck,
  type Pool,
} from "./mysql.js";
export { databaseOf, InvalidMysqlUrlError, redactUrlPasswords } from "./mysql-url.js";
export {
  connectNats,
  type NatsConnection,
  type NatsConnectOptions,
  natsReadinessCheck,
} from "./nats.js";
export { RequestMux } from "./request-mux.js";
export { type RequestOptions, request } from "./rpc-client.js";
export {
  RpcError,
  RpcInvalidReplyError,
  RpcInvalidRequestError,
  RpcNoRespondersError,
  RpcRemoteError,
  RpcTimeoutError,
  RpcTransportError,
} from "./rpc-errors.js";
export {
  createRpcMetrics,
  type RpcClientOutcome,
  type RpcMetrics,
  type RpcServerOutcome,
} from "./rpc-metrics.js";
export { type RpcContext, type RpcHandler, type ServeOptions, serve } from "./rpc-server.js";
export { runOrExit } from "./service-main.js";
export {
  connectServiceNats,
  listenHttp,
  openServiceDatabase,
  type ServiceDatabase,
  type ServiceDatabaseConfig,
  StartupError,
  startStep,
} from "./service-start.js";
export {
  installShutdownHandler,
  type RunningService,
  runShutdownSteps,
  type ServiceResources,
  type ShutdownOptions,
  type ShutdownReport,
  type ShutdownStep,
  type SignalSource,
  standardShutdownSteps,
  stopOnce,
} from "./shutdown.js";
export { DeadlineExceededError, withTimeout } from "./timeout.js";
