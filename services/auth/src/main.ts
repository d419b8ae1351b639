// The auth service process: configuration from the environment, then startAuthService.
// Prints one line saying where HTTP listens; exits non-zero with one line when the
// configuration is wrong (78) or MySQL or NATS cannot be reached at start (1).

import { ConfigError, createLogger, installShutdownHandler } from "@switchboard/kit";
import { loadAuthConfig } from "./config.js";
import { AuthStartupError, startAuthService } from "./service.js";

function fail(message: string, status: number): never {
  process.stderr.write(`auth: ${message}\n`);
  process.exit(status);
}

async function main(): Promise<void> {
  let loaded: ReturnType<typeof loadAuthConfig>;
  try {
    loaded = loadAuthConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 78);
    throw error;
  }
  const { config, warnings } = loaded;
  const logger = createLogger({ service: "auth", level: config.LOG_LEVEL });
  for (const warning of warnings) logger.warn(warning);
  try {
    const service = await startAuthService(config, { logger });
    installShutdownHandler({ steps: service.shutdownSteps, logger });
    process.stdout.write(`auth: HTTP listening on ${service.httpUrl}\n`);
  } catch (error) {
    if (error instanceof AuthStartupError) fail(error.message, 1);
    throw error;
  }
}

await main();
