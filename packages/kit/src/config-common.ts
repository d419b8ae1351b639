// The variables every service shares. A service builds its spec by spreading these
// and adding its own:
//   const spec = { ...commonConfig({ httpPort: 9101 }), ...mysqlConfig("switchboard_auth"), ... };

import type { ConfigSpec } from "./config.js";
import { envValue } from "./config-values.js";

/** Log levels accepted by LOG_LEVEL (pino's, plus `silent`). */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Values of NODE_ENV. */
export const NODE_ENVS = ["development", "production", "test"] as const;

/**
 * LOG_LEVEL, NODE_ENV, HTTP_HOST, HTTP_PORT (metrics and probes, plus admin routes),
 * NATS_URL and NATS_SUBJECT_PREFIX, with defaults that work on a developer machine.
 *
 * @param options.httpPort - the service's default HTTP port, distinct per service so that the
 *   whole stack runs on one machine.
 */
export function commonConfig(options: { httpPort: number }) {
  return {
    LOG_LEVEL: {
      schema: envValue.oneOf(LOG_LEVELS),
      default: "info",
      description: "Minimum level of the JSON log lines written to stdout.",
    },
    NODE_ENV: {
      schema: envValue.oneOf(NODE_ENVS),
      default: "development",
      description: "Deployment kind; `production` in containers.",
    },
    HTTP_HOST: {
      schema: envValue.text(),
      default: "0.0.0.0",
      description:
        "Address the HTTP server (metrics, probes, admin API) listens on; 0.0.0.0 so that probes reach it in a pod.",
    },
    HTTP_PORT: {
      schema: envValue.port(),
      default: String(options.httpPort),
      description: "Port of the HTTP server (metrics, probes, admin API).",
    },
    NATS_URL: {
      schema: envValue.urlList(["nats:", "tls:"]),
      default: "nats://127.0.0.1:4222",
      description:
        "NATS server URL, or several separated by commas (credentials may be in the URL).",
    },
    NATS_SUBJECT_PREFIX: {
      schema: envValue.subjectPrefix(),
      default: "",
      description:
        "Prefix of every NATS subject, to run several deployments on one NATS (empty: none).",
    },
  } satisfies ConfigSpec;
}
