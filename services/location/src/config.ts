// The location service's configuration: kit's common variables plus the registrar's limits
// and the persistence mode, validated once at start.

import {
  adminTokenConfig,
  adminTokenProblems,
  ConfigError,
  type ConfigOf,
  type ConfigProblem,
  commonConfig,
  type Environment,
  envValue,
  loadConfig,
  mysqlConfig,
} from "@switchboard/kit";

/** usrloc's db_mode: how and when bindings reach MySQL. */
export const DB_MODES = ["durable", "write-back", "write-through", "db-only"] as const;
export type DbMode = (typeof DB_MODES)[number];

export const locationConfigSpec = {
  ...commonConfig({ httpPort: 8082 }),
  // MySQL trouble is answered `unavailable` within 1.5 s, below the edge's request timeout.
  ...mysqlConfig("switchboard_location", { timeoutMs: 1500 }),
  ...adminTokenConfig(),
  LOCATION_DB_MODE: {
    schema: envValue.oneOf(DB_MODES),
    default: "durable",
    description:
      "durable (answer once committed, group commit), write-back (memory first, flushed every FLUSH_INTERVAL_MS), write-through (one transaction per save) or db-only (no memory; for many instances).",
  },
  FLUSH_INTERVAL_MS: {
    schema: envValue.integer(10, 600_000),
    default: "2000",
    description:
      "write-back mode: how often changed bindings are written to MySQL (sooner once 1,000 wait).",
  },
  MIN_EXPIRES: {
    schema: envValue.integer(1, 86_400),
    default: "60",
    description: "Shortest registration accepted, in seconds (shorter: 423 Interval Too Brief).",
  },
  MAX_EXPIRES: {
    schema: envValue.integer(1, 2 ** 31 - 1),
    default: "3600",
    description: "Longest registration granted, in seconds (longer requests are shortened).",
  },
  DEFAULT_EXPIRES: {
    schema: envValue.integer(1, 2 ** 31 - 1),
    default: "3600",
    description: "Registration interval when the REGISTER gives none, in seconds.",
  },
  MAX_CONTACTS: {
    schema: envValue.integer(1, 1000),
    default: "10",
    description: "Most bindings one address-of-record may have.",
  },
  EXPIRY_INTERVAL_S: {
    schema: envValue.integer(1, 3600),
    default: "10",
    description: "How often expired bindings are removed, in seconds.",
  },
};

export type LocationConfig = ConfigOf<typeof locationConfigSpec>;

function crossChecks(config: LocationConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (config.MIN_EXPIRES > config.MAX_EXPIRES) {
    problems.push({ variable: "MIN_EXPIRES", problem: "must not exceed MAX_EXPIRES" });
  }
  if (config.DEFAULT_EXPIRES < config.MIN_EXPIRES) {
    problems.push({ variable: "DEFAULT_EXPIRES", problem: "must not be below MIN_EXPIRES" });
  }
  problems.push(...adminTokenProblems(config));
  return problems;
}

/**
 * The location configuration from `env`.
 * @throws ConfigError naming every wrong variable, in one line.
 */
export function loadLocationConfig(env: Environment): LocationConfig {
  const config = loadConfig(locationConfigSpec, env);
  const problems = crossChecks(config);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
