// The edge proxy process: configuration from the environment, then startEdgeProxy.
// Prints one line saying where SIP and HTTP listen; exits non-zero with one line when
// the configuration is wrong (78) or NATS or the SIP port is unavailable at start (1).

import { ConfigError, createLogger, installShutdownHandler } from "@switchboard/kit";
import { formatDestination } from "@switchboard/sip";
import { loadEdgeConfig } from "./config.js";
import { EdgeStartupError, startEdgeProxy } from "./start-edge-proxy.js";

function fail(message: string, status: number): never {
  process.stderr.write(`edge-proxy: ${message}\n`);
  process.exit(status);
}

async function main(): Promise<void> {
  let loaded: ReturnType<typeof loadEdgeConfig>;
  try {
    loaded = loadEdgeConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 78);
    throw error;
  }
  const { config, warnings } = loaded;
  const logger = createLogger({ service: "edge-proxy", level: config.LOG_LEVEL });
  for (const warning of warnings) logger.warn(warning);
  try {
    const proxy = await startEdgeProxy(config, { logger });
    installShutdownHandler({ steps: proxy.shutdownSteps, logger });
    const { host, port } = proxy.advertised;
    process.stdout.write(
      `edge-proxy: SIP listening on ${formatDestination(proxy.sipAddress)} (advertised as ${host}:${port}), HTTP on ${proxy.httpAddress}\n`,
    );
  } catch (error) {
    if (error instanceof EdgeStartupError) fail(error.message, 1);
    throw error;
  }
}

await main();
