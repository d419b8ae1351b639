// Configuration from environment variables, validated once at start into a typed
// object. After loadConfig() nothing reads process.env: the object is passed down.

import type { z } from "zod";
import { redactUrlPasswords } from "./mysql-url.js";

/** One environment variable: how to parse it, its default, and what it is for. */
export interface ConfigVar<T> {
  /**
   * Parses the raw string into the typed value. Issue messages are printed after the variable
   * name, so they read "must be …" (the {@link envValue} builders do this).
   */
  readonly schema: z.ZodType<T, string>;
  /** The value used when the variable is unset or empty, written as in the environment. */
  readonly default?: string;
  /** One sentence for the configuration reference. */
  readonly description: string;
  /** Never echo the value: errors say only that it is wrong. */
  readonly secret?: boolean;
}

/** A set of variables, keyed by the environment variable name. */
export type ConfigSpec = Readonly<Record<string, ConfigVar<unknown>>>;

/** The typed configuration a {@link ConfigSpec} parses into. */
export type ConfigOf<S extends ConfigSpec> = {
  readonly [K in keyof S]: S[K] extends ConfigVar<infer T> ? T : never;
};

/** One wrong or missing variable. */
export interface ConfigProblem {
  readonly variable: string;
  /** E.g. `must be a port number from 1 to 65535 (got "http")`. */
  readonly problem: string;
}

/**
 * Thrown by {@link loadConfig} when any variable is wrong or missing. The message is one line
 * naming every bad variable: `Invalid configuration: HTTP_PORT must be … (got "x"); …`.
 */
export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(`Invalid configuration: ${problems.map((p) => `${p.variable} ${p.problem}`).join("; ")}`);
  }
}

/** The environment as a plain map (`process.env` fits). */
export type Environment = Readonly<Record<string, string | undefined>>;

function shown(value: string, secret: boolean | undefined): string {
  if (secret) return "(value hidden)";
  const clipped = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return `(got ${JSON.stringify(redactUrlPasswords(clipped))})`;
}

/**
 * Parses every variable of `spec` from `env`. An unset or empty variable takes its default;
 * one without a default is required.
 *
 * @throws {@link ConfigError} listing every wrong or missing variable in one line.
 */
export function loadConfig<S extends ConfigSpec>(spec: S, env: Environment): ConfigOf<S> {
  const values: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [variable, definition] of Object.entries(spec)) {
    const raw = env[variable] === "" ? undefined : env[variable];
    const value = raw ?? definition.default;
    if (value === undefined) {
      problems.push({ variable, problem: "is required but not set" });
      continue;
    }
    const parsed = definition.schema.safeParse(value);
    if (parsed.success) {
      values[variable] = parsed.data;
    } else {
      const message = parsed.error.issues[0]?.message ?? "is invalid";
      problems.push({ variable, problem: `${message} ${shown(value, definition.secret)}` });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(values) as ConfigOf<S>;
}

/**
 * {@link loadConfig} for a service's `main`: on a {@link ConfigError} it writes the one-line
 * message to stderr and exits with status 78 (EX_CONFIG), without a stack trace.
 */
export function loadConfigOrExit<S extends ConfigSpec>(
  spec: S,
  env: Environment = process.env,
): ConfigOf<S> {
  try {
    return loadConfig(spec, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
}

/** One row of the configuration reference. */
export interface ConfigVarDescription {
  readonly name: string;
  readonly description: string;
  /** Undefined when the variable is required. */
  readonly default: string | undefined;
  readonly required: boolean;
  readonly secret: boolean;
}

/** Every variable of `spec` with its default, in declaration order (for docs and deploy checks). */
export function describeConfig(spec: ConfigSpec): ConfigVarDescription[] {
  return Object.entries(spec).map(([name, definition]) => ({
    name,
    description: definition.description,
    default: definition.default,
    required: definition.default === undefined,
    secret: definition.secret === true,
  }));
}
