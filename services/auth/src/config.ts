// The auth service's configuration, from the environment, validated once at start.

import {
  adminTokenConfig,
  adminTokenSecret,
  ConfigError,
  type ConfigOf,
  type ConfigSpec,
  commonConfig,
  type DevelopmentSecret,
  developmentSecretWarnings,
  type Environment,
  envValue,
  loadConfig,
  mysqlConfig,
  productionSecretProblems,
} from "@switchboard/kit";
import type { DigestAlgorithm } from "@switchboard/sip";
import { z } from "zod";

/** The development default of NONCE_SECRET; production refuses it. */
const DEV_NONCE_SECRET = "dev-nonce-secret-not-for-production";

const MIN_PRODUCTION_NONCE_SECRET = 32;

const ALGORITHMS: readonly DigestAlgorithm[] = ["MD5", "MD5-sess", "SHA-256", "SHA-256-sess"];

function isAlgorithm(name: string): name is DigestAlgorithm {
  return (ALGORITHMS as readonly string[]).includes(name);
}

/** A comma-separated list of digest algorithms, offered in the order written. */
const algorithmList = z
  .string()
  .transform((value) => value.split(",").map((name) => name.trim()))
  .refine((names) => names.every(isAlgorithm) && new Set(names).size === names.length, {
    message: `must be a comma-separated list of distinct algorithms among ${ALGORITHMS.join(", ")}`,
  })
  .transform((names) => names as DigestAlgorithm[]);

export const authConfigSpec = {
  ...commonConfig({ httpPort: 8081 }),
  ...mysqlConfig("switchboard_auth"),
  ...adminTokenConfig(),
  NONCE_SECRET: {
    schema: envValue.text(),
    default: DEV_NONCE_SECRET,
    description: `Key signing digest nonces, the same on every auth instance; required in production (at least ${MIN_PRODUCTION_NONCE_SECRET} characters).`,
    secret: true,
  },
  NONCE_LIFETIME_S: {
    schema: envValue.integer(1, 3600),
    default: "300",
    description: "How long a nonce may be used; later it is answered as stale.",
  },
  AUTH_ALGORITHMS: {
    schema: algorithmList,
    default: "MD5",
    description:
      'Digest algorithms offered, one challenge each, in this order ("MD5,SHA-256" offers both, MD5 first).',
  },
  AUTH_CALCULATE_HA1: {
    schema: envValue.boolean(),
    default: "false",
    description:
      "Keep plain passwords in subscriber.password and compute HA1 from them (SER's calculate_ha1).",
  },
} satisfies ConfigSpec;

export type AuthConfig = ConfigOf<typeof authConfigSpec>;

export interface LoadedAuthConfig {
  readonly config: AuthConfig;
  /** Development defaults in use, to be logged as warnings. */
  readonly warnings: readonly string[];
}

function secretsOf(config: AuthConfig): DevelopmentSecret[] {
  return [
    adminTokenSecret(config),
    {
      variable: "NONCE_SECRET",
      value: config.NONCE_SECRET,
      devDefault: DEV_NONCE_SECRET,
      minProductionLength: MIN_PRODUCTION_NONCE_SECRET,
    },
  ];
}

/**
 * Parses the environment. Outside production the secrets fall back to development
 * defaults (reported in `warnings`); in production they must be set.
 * @throws ConfigError naming every wrong variable.
 */
export function loadAuthConfig(env: Environment): LoadedAuthConfig {
  const config = loadConfig(authConfigSpec, env);
  const secrets = secretsOf(config);
  const problems = productionSecretProblems(config.NODE_ENV, secrets);
  if (problems.length > 0) throw new ConfigError(problems);
  return { config, warnings: developmentSecretWarnings(config.NODE_ENV, secrets) };
}
