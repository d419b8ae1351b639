// The two ways a command fails, told apart by the exit code.

/** Exit code of a command that ran and succeeded. */
export const EXIT_OK = 0;
/** Exit code of a command that ran and failed (service down, conflict, not found, …). */
export const EXIT_FAILED = 1;
/** Exit code of a command line that could not be run (missing or bad arguments). */
export const EXIT_USAGE = 2;

/** The command line is wrong: exit code 2, with a hint to `--help`. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The command was valid but could not be done: exit code 1. */
export class OperationError extends Error {
  override name = "OperationError";
}
