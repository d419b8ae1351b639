// The options sbctl understands, and the parsing of a command line into options and
// positional arguments (node's util.parseArgs, with sbctl's own error wording).

import { parseArgs } from "node:util";
import { UsageError } from "./errors.js";

interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  /** Placeholder of the value in help texts. */
  readonly value?: string;
  readonly help: string;
}

/** Every option; which ones a command accepts is part of the command table. */
export const OPTIONS = {
  "auth-url": {
    type: "string",
    value: "URL",
    help: "auth admin API (env AUTH_ADMIN_URL, default http://127.0.0.1:8081)",
  },
  "location-url": {
    type: "string",
    value: "URL",
    help: "location admin API (env LOCATION_ADMIN_URL, default http://127.0.0.1:8082)",
  },
  token: {
    type: "string",
    value: "TOKEN",
    help: "admin API bearer token (env ADMIN_TOKEN, default dev-admin-token); prefer the env",
  },
  domain: {
    type: "string",
    value: "DOMAIN",
    help: "domain of users given without @domain (env SIP_DOMAIN, default localhost)",
  },
  timeout: { type: "string", value: "MS", help: "HTTP timeout in milliseconds (default 5000)" },
  json: { type: "boolean", help: "print JSON instead of tables" },
  help: { type: "boolean", short: "h", help: "show help" },
  email: { type: "string", value: "EMAIL", help: "e-mail address of the subscriber" },
  "password-stdin": {
    type: "boolean",
    help: "read the password from standard input (one line)",
  },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;

/** The options every command accepts. */
export const GLOBAL_OPTIONS: readonly OptionName[] = [
  "auth-url",
  "location-url",
  "token",
  "domain",
  "timeout",
  "json",
  "help",
];
type OptionValue<K extends OptionName> = (typeof OPTIONS)[K]["type"] extends "string"
  ? string
  : true;
export type OptionValues = { readonly [K in OptionName]?: OptionValue<K> };

/** A command line split into options and positionals. */
export interface CommandLine {
  readonly positionals: readonly string[];
  readonly values: OptionValues;
  /** The known options present, for checking them against the command. */
  readonly present: readonly OptionName[];
  /** Options sbctl does not know, as written (`--jsno`, `-x`). */
  readonly unknown: readonly string[];
}

function isOptionName(name: string): name is OptionName {
  return Object.hasOwn(OPTIONS, name);
}

/**
 * Splits `argv` (without node and the script) into options and positionals. Options may
 * appear anywhere; `--` ends them, so a password starting with `-` goes after it.
 * @throws {@link UsageError} when a string option has no value or a switch has one.
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const { tokens } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const positionals: string[] = [];
  const values: Record<string, string | true> = {};
  const present: OptionName[] = [];
  const unknown: string[] = [];
  for (const token of tokens) {
    if (token.kind === "positional") positionals.push(token.value);
    if (token.kind !== "option") continue;
    if (!isOptionName(token.name)) {
      unknown.push(token.rawName);
      continue;
    }
    if (OPTIONS[token.name].type === "boolean") {
      if (token.inlineValue) throw new UsageError(`option ${token.rawName} takes no value`);
      values[token.name] = true;
    } else {
      const value = token.value;
      if (value === undefined || (!token.inlineValue && value.startsWith("-"))) {
        throw new UsageError(`option ${token.rawName} needs a value`);
      }
      values[token.name] = value;
    }
    present.push(token.name);
  }
  return { positionals, values: values as OptionValues, present, unknown };
}

/** `  --name VALUE   help` lines for the given options. */
export function describeOptions(names: readonly OptionName[]): string {
  const spec = (name: OptionName): OptionSpec => OPTIONS[name];
  const labels = names.map((name) => {
    const { short, value } = spec(name);
    const long = value === undefined ? `--${name}` : `--${name} ${value}`;
    return short === undefined ? long : `-${short}, ${long}`;
  });
  const width = Math.max(...labels.map((label) => label.length));
  return names
    .map((name, index) => `  ${(labels[index] ?? "").padEnd(width)}  ${spec(name).help}\n`)
    .join("");
}
