// The location service process: configuration from the environment, start, and a graceful
// stop on SIGTERM/SIGINT (write-back mode flushes its unwritten bindings then). Exits with
// one line on stderr when the configuration is wrong (78) or MySQL or NATS cannot be
// reached at start (1).

import { createLogger, installShutdownHandler, runOrExit } from "@switchboard/kit";
import { loadLocationConfig } from "./config.js";
import { startLocationService } from "./service.js";

const config = await runOrExit("location", () => loadLocationConfig(process.env));
const logger = createLogger({ service: "location", level: config.LOG_LEVEL });
const handle = await runOrExit("location", () => startLocationService(config, { logger }));
process.stdout.write(
  `location: HTTP on ${handle.httpUrl}, mode ${config.LOCATION_DB_MODE}, NATS prefix "${config.NATS_SUBJECT_PREFIX}"\n`,
);
installShutdownHandler({ steps: handle.shutdownSteps, logger });
