// What a command handler gets to work with, and how it names a 404 or 409 in its own terms.

import type { AuthAdminClient, LocationAdminClient } from "./admin-client.js";
import { AdminApiError } from "./admin-http.js";
import { OperationError } from "./errors.js";
import type { OptionName, OptionValues } from "./options.js";
import type { Settings } from "./settings.js";

export interface CommandContext {
  /** The positional arguments after the command words, already counted. */
  readonly args: readonly string[];
  readonly values: OptionValues;
  readonly settings: Settings;
  readonly auth: AuthAdminClient;
  readonly location: LocationAdminClient;
  /** Prints `json` with `--json`, else the text `render` returns. */
  print(json: unknown, render: () => string): void;
  /**
   * The new password: `given` when the operator typed it as an argument, else one line
   * from standard input with `--password-stdin`, else asked twice on the terminal.
   */
  newPassword(given: string | undefined): Promise<string>;
}

/** One entry of the command table. */
export interface Command {
  /** `["add"]` or `["user", "add"]`. */
  readonly words: readonly string[];
  /** Positional parameters: `<user>` required, `[password]` optional, in order. */
  readonly params: readonly string[];
  /** The parameters as shown in help, e.g. `<user[@domain]> [password]`. */
  readonly usage: string;
  readonly summary: string;
  /** Further help paragraphs. */
  readonly details?: string;
  /** Options beyond the global ones. */
  readonly options: readonly OptionName[];
  /** Indexes of parameters that are passwords: never echoed, redacted from errors. */
  readonly secretParams?: readonly number[];
  readonly run: (context: CommandContext) => Promise<void>;
}

/** What a 404 or a 409 means for the operation at hand, as an operator would say it. */
export interface FailureMeaning {
  readonly notFound?: string;
  readonly conflict?: string;
}

/**
 * `operation`'s result; a 404 or 409 with a meaning becomes an {@link OperationError}
 * saying it (`user 1000@localhost already exists`), any other failure passes unchanged.
 */
export async function explaining<T>(operation: Promise<T>, meaning: FailureMeaning): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    const message =
      error instanceof AdminApiError
        ? error.kind === "not-found"
          ? meaning.notFound
          : error.kind === "conflict"
            ? meaning.conflict
            : undefined
        : undefined;
    if (message === undefined) throw error;
    throw new OperationError(message, { cause: error });
  }
}
