// The auth service's configuration, from the environment, validated once at start.

import {
  ConfigError,
  type ConfigOf,
  type ConfigProblem,
  type ConfigSpec,
  commonConfig,
  type Environment,
  envValue,
  loadConfig,
} from "@switchboard/kit";
import type { DigestAlgorithm } from "@switchboard/sip";
import { z } from "zod";

/** Development defaults for the secrets; production refuses them. */
export const DEV_ADMIN_TOKEN = "dev-admin-token";
export const DEV_NONCE_SECRET = "dev-nonce-secret-not-for-production";

const MIN_PRODUCTION_ADMIN_TOKEN = 16;
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

/** A mysql:// URL; its path, when present, names the database. */
const mysqlServerUrl = envValue.url(["mysql:"]);

export const authConfigSpec = {
  ...commonConfig({ httpPort: 8081 }),
  MYSQL_URL: {
    schema: mysqlServerUrl,
    default: "mysql://root@127.0.0.1:3306",
    description:
      "MySQL (or MariaDB) server and credentials; a path, when present, names the database.",
  },
  MYSQL_DATABASE: {
    schema: z.string().regex(/^[A-Za-z0-9_]{1,64}$/, "must be letters, digits and _ (at most 64)"),
    default: "switchboard_auth",
    description: "The auth service's database, used when MYSQL_URL names none.",
  },
  MYSQL_TIMEOUT_MS: {
    schema: envValue.integer(50, 60_000),
    default: "1000",
    description:
      "Longest wait for MySQL (connecting or one statement) before answering `unavailable`; keep it below the callers' request timeout.",
  },
  ADMIN_TOKEN: {
    schema: envValue.text(),
    default: DEV_ADMIN_TOKEN,
    description: `Bearer token of the admin API; required in production (at least ${MIN_PRODUCTION_ADMIN_TOKEN} characters).`,
    secret: true,
  },
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

/** The secrets rule of production: set, not the development default, long enough. */
function productionSecretProblem(
  variable: string,
  value: string,
  devDefault: string,
  minLength: number,
): ConfigProblem | undefined {
  if (value === devDefault) return { variable, problem: "must be set in production" };
  if (value.length < minLength) {
    return { variable, problem: `must be at least ${minLength} characters in production` };
  }
  return undefined;
}

/**
 * Parses the environment. Outside production the secrets fall back to development
 * defaults (reported in `warnings`); in production they must be set.
 * @throws ConfigError naming every wrong variable.
 */
export function loadAuthConfig(env: Environment): LoadedAuthConfig {
  const config = loadConfig(authConfigSpec, env);
  const secrets = [
    ["ADMIN_TOKEN", config.ADMIN_TOKEN, DEV_ADMIN_TOKEN, MIN_PRODUCTION_ADMIN_TOKEN],
    ["NONCE_SECRET", config.NONCE_SECRET, DEV_NONCE_SECRET, MIN_PRODUCTION_NONCE_SECRET],
  ] as const;
  if (config.NODE_ENV === "production") {
    const problems = secrets
      .map(([variable, value, devDefault, minLength]) =>
        productionSecretProblem(variable, value, devDefault, minLength),
      )
      .filter((problem) => problem !== undefined);
    if (problems.length > 0) throw new ConfigError(problems);
    return { config, warnings: [] };
  }
  const warnings = secrets
    .filter(([, value, devDefault]) => value === devDefault)
    .map(([variable]) => `${variable} is not set: using the development default`);
  return { config, warnings };
}

/** The URL of the service's database: MYSQL_URL with MYSQL_DATABASE as path unless it has one. */
export function databaseUrl(config: Pick<AuthConfig, "MYSQL_URL" | "MYSQL_DATABASE">): string {
  const url = new URL(config.MYSQL_URL);
  if (url.pathname === "" || url.pathname === "/") url.pathname = `/${config.MYSQL_DATABASE}`;
  return url.toString();
}
