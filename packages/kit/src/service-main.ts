// A service's entry points (main.ts, migrate.ts) end with one line on stderr and a status
// that says why: a wrong configuration, or a dependency that could not be reached.

import { ConfigError } from "./config.js";
import { StartupError } from "./service-start.js";

/** Exit status for a wrong configuration (EX_CONFIG of sysexits.h). */
export const EXIT_CONFIG = 78;
/** Exit status when a dependency is unreachable or the schema could not be applied. */
export const EXIT_CANNOT_START = 1;

/** The one-line message and exit status of an expected failure; undefined for anything else. */
export function entryPointFailure(error: unknown): { message: string; status: number } | undefined {
  if (error instanceof ConfigError) return { message: error.message, status: EXIT_CONFIG };
  if (error instanceof StartupError) return { message: error.message, status: EXIT_CANNOT_START };
  return undefined;
}

/**
 * The result of `work`; when it throws a ConfigError or a StartupError, writes
 * `<service>: <message>` to stderr and exits with 78 or 1. Anything else is a bug and
 * propagates with its stack.
 */
export async function runOrExit<T>(service: string, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const failure = entryPointFailure(error);
    if (failure === undefined) throw error;
    process.stderr.write(`${service}: ${failure.message}\n`);
    process.exit(failure.status);
  }
}
