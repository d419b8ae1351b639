// The auth service process: configuration from the environment, then startAuthService.
// Prints one line saying where HTTP listens; exits non-zero with one line when the
// configuration is wrong (78) or MySQL or NATS cannot be reached at start (1).

import { createLogger, installShutdownHandler, runOrExit } from "@switchboard/kit";
import { loadAuthConfig } from "./config.js";
import { startAuthService } from "./service.js";

const { config, warnings } = await runOrExit("auth", () => loadAuthConfig(process.env));
const logger = createLogger({ service: "auth", level: config.LOG_LEVEL });
for (const warning of warnings) logger.warn(warning);
const service = await runOrExit("auth", () => startAuthService(config, { logger }));
installShutdownHandler({ steps: service.shutdownSteps, logger });
process.stdout.write(`auth: HTTP listening on ${service.httpUrl}\n`);
