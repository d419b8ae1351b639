// The command table and its dispatch: argv in, output written, exit code out.

import { AuthAdminClient, LocationAdminClient } from "./admin-client.js";
import { AdminApiError, type AdminService } from "./admin-http.js";
import { ArgumentError } from "./args.js";
import type { Command, CommandContext } from "./command-context.js";
import {
  addAlias,
  listAliases,
  removeAlias,
  removeLocations,
  showLocations,
} from "./commands-location.js";
import {
  addSerctlStyle,
  addUser,
  changePassword,
  listUsers,
  removeUser,
  showUser,
} from "./commands-user.js";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, OperationError, UsageError } from "./errors.js";
import { commandHelp, groupHelp, topHelp } from "./help.js";
import { type CommandLine, GLOBAL_OPTIONS, parseCommandLine } from "./options.js";
import {
  type CliInput,
  PasswordInputError,
  promptNewPassword,
  readPasswordFromStream,
  type TextSink,
} from "./password-input.js";
import { type Environment, resolveSettings, type Settings } from "./settings.js";

const PASSWORD_DETAILS =
  "Without [password], it is asked twice on the terminal (not echoed) or, with\n" +
  "--password-stdin, read from standard input; either keeps it out of the shell history.";

/** Every command; help lists them in this order. */
export const COMMANDS: readonly Command[] = [
  {
    words: ["add"],
    params: ["<user>", "<password>", "<email>"],
    usage: "<user[@domain]> <password> <email>",
    summary: "create a subscriber, as serctl add does",
    options: [],
    secretParams: [1],
    run: addSerctlStyle,
  },
  {
    words: ["user", "add"],
    params: ["<user>", "[password]"],
    usage: "<user[@domain]> [password]",
    summary: "create a subscriber",
    details: PASSWORD_DETAILS,
    options: ["email", "password-stdin"],
    secretParams: [1],
    run: addUser,
  },
  {
    words: ["user", "rm"],
    params: ["<user>"],
    usage: "<user[@domain]>",
    summary: "delete a subscriber",
    options: [],
    run: removeUser,
  },
  {
    words: ["user", "passwd"],
    params: ["<user>", "[password]"],
    usage: "<user[@domain]> [password]",
    summary: "change the password of a subscriber",
    details: PASSWORD_DETAILS,
    options: ["password-stdin"],
    secretParams: [1],
    run: changePassword,
  },
  {
    words: ["user", "list"],
    params: [],
    usage: "",
    summary: "list the subscribers (of one domain with --domain)",
    options: [],
    run: listUsers,
  },
  {
    words: ["user", "show"],
    params: ["<user>"],
    usage: "<user[@domain]>",
    summary: "show a subscriber",
    options: [],
    run: showUser,
  },
  {
    words: ["alias", "add"],
    params: ["<alias>", "<target>"],
    usage: "<alias[@domain]> <target[@domain]>",
    summary: "make an alias stand for a user",
    options: [],
    run: addAlias,
  },
  {
    words: ["alias", "rm"],
    params: ["<alias>"],
    usage: "<alias[@domain]>",
    summary: "remove an alias",
    options: [],
    run: removeAlias,
  },
  {
    words: ["alias", "list"],
    params: [],
    usage: "",
    summary: "list the aliases",
    options: [],
    run: listAliases,
  },
  {
    words: ["ul", "show"],
    params: ["[AOR]"],
    usage: "[AOR]",
    summary: "list AORs and their contact counts, or the contacts of one AOR",
    details: "An AOR is written 1000, 1000@example.com or sip:1000@example.com.",
    options: [],
    run: showLocations,
  },
  {
    words: ["ul", "rm"],
    params: ["<AOR>"],
    usage: "<AOR>",
    summary: "remove every registered contact of an AOR",
    options: [],
    run: removeLocations,
  },
];

const GROUPS = new Set(COMMANDS.filter((c) => c.words.length > 1).map((c) => c.words[0]));

/** What sbctl reads and writes; the real process streams in `main.ts`, others in tests. */
export interface CliIo {
  readonly env: Environment;
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly stdin: CliInput;
  /** The HTTP client; the global fetch when absent. */
  readonly fetch?: typeof fetch;
}

/** One run's state that the error report needs. */
interface RunState {
  /** `user add`, once the command is known: prefixes error lines. */
  scope: string;
  /** Passwords and the token: replaced by `***` in any error line. */
  readonly secrets: string[];
}

function findCommand(words: readonly string[], state: RunState): Command | string | undefined {
  const [first, second] = words;
  if (first === undefined) return undefined;
  const single = COMMANDS.find((c) => c.words.length === 1 && c.words[0] === first);
  if (single !== undefined) return single;
  if (!GROUPS.has(first)) throw new UsageError(`unknown command "${first}"`);
  state.scope = first;
  if (second === undefined) return first;
  const command = COMMANDS.find((c) => c.words[0] === first && c.words[1] === second);
  if (command === undefined) throw new UsageError(`unknown command "${second}"`);
  return command;
}

function subcommandsOf(group: string): string {
  return COMMANDS.filter((c) => c.words[0] === group)
    .map((c) => c.words[1])
    .join(", ");
}

/** Checks options and argument count against the command; returns its arguments. */
function commandArguments(command: Command, line: CommandLine, words: readonly string[]) {
  const secret = command.secretParams !== undefined;
  const [unknown] = line.unknown;
  if (unknown !== undefined) {
    // A mistyped password that starts with "-" must not be echoed back.
    throw new UsageError(
      secret
        ? "unknown option (put -- before a password that starts with -)"
        : `unknown option ${unknown}`,
    );
  }
  const misplaced = line.present.find(
    (name) => !GLOBAL_OPTIONS.includes(name) && !command.options.includes(name),
  );
  if (misplaced !== undefined) throw new UsageError(`option --${misplaced} does not apply here`);
  const args = words.slice(command.words.length);
  const required = command.params.filter((param) => param.startsWith("<")).length;
  if (args.length < required) throw new UsageError(`missing ${command.params[args.length]}`);
  if (args.length > command.params.length) {
    throw new UsageError(
      command.params.length === 0
        ? "takes no arguments"
        : `too many arguments (at most ${command.params.length})`,
    );
  }
  return args;
}

function newContext(
  command: Command,
  args: readonly string[],
  line: CommandLine,
  settings: Settings,
  io: CliIo,
  state: RunState,
): CommandContext {
  const endpoint = (service: AdminService, baseUrl: string) => ({
    service,
    baseUrl,
    token: settings.token,
    timeoutMs: settings.timeoutMs,
    fetch: io.fetch ?? fetch,
  });
  return {
    args,
    values: line.values,
    settings,
    auth: new AuthAdminClient(endpoint("auth", settings.authUrl)),
    location: new LocationAdminClient(endpoint("location", settings.locationUrl)),
    print(json, render) {
      io.stdout.write(settings.json ? `${JSON.stringify(json, null, 2)}\n` : render());
    },
    async newPassword(given) {
      const fromStdin = line.values["password-stdin"] === true;
      if (given !== undefined && fromStdin) {
        throw new UsageError("give the password as an argument or with --password-stdin, not both");
      }
      if (given === undefined && !fromStdin && !(io.stdin.isTTY && io.stdin.setRawMode)) {
        throw new UsageError(
          `missing ${command.params[1]}: standard input is not a terminal to ask it on; use --password-stdin`,
        );
      }
      const password =
        given ??
        (fromStdin
          ? await readPasswordFromStream(io.stdin)
          : await promptNewPassword(io.stdin, io.stderr));
      state.secrets.push(password);
      return password;
    },
  };
}

async function run(argv: readonly string[], io: CliIo, state: RunState): Promise<number> {
  const line = parseCommandLine(argv);
  const asksHelp = line.values.help === true || line.positionals[0] === "help";
  const words = line.positionals[0] === "help" ? line.positionals.slice(1) : line.positionals;
  const found = findCommand(words, state);
  if (found === undefined) {
    if (!asksHelp) throw new UsageError("missing command");
    io.stdout.write(topHelp(COMMANDS));
    return EXIT_OK;
  }
  if (typeof found === "string") {
    if (!asksHelp) throw new UsageError(`missing command (${subcommandsOf(found)})`);
    io.stdout.write(groupHelp(found, COMMANDS));
    return EXIT_OK;
  }
  state.scope = found.words.join(" ");
  if (asksHelp) {
    io.stdout.write(commandHelp(found));
    return EXIT_OK;
  }
  const args = commandArguments(found, line, words);
  for (const index of found.secretParams ?? []) {
    const secret = args[index];
    if (secret !== undefined) state.secrets.push(secret);
  }
  const settings = resolveSettings(line.values, io.env);
  state.secrets.push(settings.token);
  await found.run(newContext(found, args, line, settings, io, state));
  return EXIT_OK;
}

/** `text` as one line with every secret replaced by `***`. */
function safeLine(text: string, secrets: readonly string[]): string {
  let line = text.replace(/[\r\n]+/g, " ");
  for (const secret of secrets) if (secret !== "") line = line.split(secret).join("***");
  return line;
}

function report(error: unknown, state: RunState, stderr: TextSink): number {
  const scope = state.scope === "" ? "" : `${state.scope}: `;
  let line: string;
  let code = EXIT_FAILED;
  if (error instanceof UsageError || error instanceof ArgumentError) {
    const help = state.scope === "" ? "sbctl --help" : `sbctl ${state.scope} --help`;
    line = `${scope}${error.message} (see ${help})`;
    code = EXIT_USAGE;
  } else if (error instanceof AdminApiError || error instanceof OperationError) {
    line = error.message;
  } else if (error instanceof PasswordInputError) {
    line = `${scope}${error.message}`;
  } else {
    line = `${scope}unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  }
  stderr.write(`sbctl: ${safeLine(line, state.secrets)}\n`);
  return code;
}

/**
 * Runs one sbctl command line (`argv` without node and the script name) and returns the
 * exit code: 0 done, 1 the operation failed, 2 the command line is wrong. Failures are
 * reported as one line on `io.stderr`; nothing is thrown.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const state: RunState = { scope: "", secrets: [] };
  try {
    return await run(argv, io, state);
  } catch (error) {
    return report(error, state, io.stderr);
  }
}
