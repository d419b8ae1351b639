// Secrets with a development default: a developer machine starts without setting them
// (with a warning), production refuses the default and values too short to be secret.

import type { ConfigProblem, ConfigSpec, ConfigVar } from "./config.js";
import { envValue } from "./config-values.js";

/** ADMIN_TOKEN's value when unset outside production. */
export const DEV_ADMIN_TOKEN = "dev-admin-token";
const MIN_PRODUCTION_ADMIN_TOKEN = 16;

/** One secret variable as configured, with its development default. */
export interface DevelopmentSecret {
  readonly variable: string;
  readonly value: string;
  readonly devDefault: string;
  /** The shortest value production accepts. */
  readonly minProductionLength: number;
}

/**
 * In production (`nodeEnv` "production"), a problem for each secret still at its development
 * default or shorter than its minimum; none elsewhere. Values are never echoed.
 */
export function productionSecretProblems(
  nodeEnv: string,
  secrets: readonly DevelopmentSecret[],
): ConfigProblem[] {
  if (nodeEnv !== "production") return [];
  return secrets.flatMap(({ variable, value, devDefault, minProductionLength }) => {
    if (value === devDefault) return [{ variable, problem: "must be set in production" }];
    if (value.length < minProductionLength) {
      const problem = `must be at least ${minProductionLength} characters in production`;
      return [{ variable, problem }];
    }
    return [];
  });
}

/** Outside production, a warning for each secret left at its development default. */
export function developmentSecretWarnings(
  nodeEnv: string,
  secrets: readonly DevelopmentSecret[],
): string[] {
  if (nodeEnv === "production") return [];
  return secrets
    .filter(({ value, devDefault }) => value === devDefault)
    .map(({ variable }) => `${variable} is not set: using the development default`);
}

/** ADMIN_TOKEN for a service with an admin HTTP API; see {@link adminTokenProblems}. */
export function adminTokenConfig() {
  const token: ConfigVar<string> = {
    schema: envValue.text(),
    default: DEV_ADMIN_TOKEN,
    description: `Bearer token of the admin API; required in production (at least ${MIN_PRODUCTION_ADMIN_TOKEN} characters).`,
    secret: true,
  };
  return { ADMIN_TOKEN: token } satisfies ConfigSpec;
}

/** A configured ADMIN_TOKEN as a {@link DevelopmentSecret}. */
export function adminTokenSecret(config: { readonly ADMIN_TOKEN: string }): DevelopmentSecret {
  return {
    variable: "ADMIN_TOKEN",
    value: config.ADMIN_TOKEN,
    devDefault: DEV_ADMIN_TOKEN,
    minProductionLength: MIN_PRODUCTION_ADMIN_TOKEN,
  };
}

/**
 * What production refuses in ADMIN_TOKEN: the development default, or fewer than 16
 * characters. Empty outside production. For a service's cross-checks after `loadConfig`.
 */
export function adminTokenProblems(config: {
  readonly NODE_ENV: string;
  readonly ADMIN_TOKEN: string;
}): ConfigProblem[] {
  return productionSecretProblems(config.NODE_ENV, [adminTokenSecret(config)]);
}
