// The location service process: configuration from the environment, start, and a graceful
// stop on SIGTERM/SIGINT (write-back mode flushes its unwritten bindings then).

import { ConfigError, createLogger, installShutdownHandler, withTimeout } from "@switchboard/kit";
import { loadLocationConfig } from "./config.js";
import { type LocationServiceHandle, startLocationService } from "./service.js";

// NATS connections are retried until this passes; MySQL failures end the start at once.
const START_TIMEOUT_MS = 20_000;

function fail(message: string, status: number): never {
  process.stderr.write(`location: ${message}\n`);
  process.exit(status);
}

const reasonOf = (error: unknown): string =>
  error instanceof Error ? error.message || error.name : String(error);

let config: ReturnType<typeof loadLocationConfig>;
try {
  config = loadLocationConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) fail(error.message, 78);
  throw error;
}

const logger = createLogger({ service: "location", level: config.LOG_LEVEL });
let handle: LocationServiceHandle;
try {
  handle = await withTimeout(
    startLocationService(config, { logger }),
    START_TIMEOUT_MS,
    "starting",
  );
} catch (error) {
  fail(`cannot start: ${reasonOf(error)}`, 1);
}
process.stdout.write(
  `location: HTTP on ${handle.httpUrl}, mode ${config.LOCATION_DB_MODE}, NATS prefix "${config.NATS_SUBJECT_PREFIX}"\n`,
);

installShutdownHandler({ steps: handle.shutdownSteps, logger });
