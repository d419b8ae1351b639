// Help texts, generated from the command table and the option table.

import type { Command } from "./command-context.js";
import { describeOptions, GLOBAL_OPTIONS } from "./options.js";

function commandLines(commands: readonly Command[]): string {
  const labels = commands.map((command) => `${command.words.join(" ")} ${command.usage}`.trim());
  const width = Math.max(...labels.map((label) => label.length));
  return commands
    .map((command, index) => `  ${(labels[index] ?? "").padEnd(width)}  ${command.summary}\n`)
    .join("");
}

/** `sbctl --help` */
export function topHelp(commands: readonly Command[]): string {
  return [
    "Usage: sbctl <command> [options]\n",
    "\nManages Switchboard's subscribers, aliases and registered contacts through the admin\n",
    "HTTP APIs of the auth and location services.\n",
    "\nCommands:\n",
    commandLines(commands),
    "\nOptions:\n",
    describeOptions(GLOBAL_OPTIONS),
    '\nRun "sbctl <command> --help" for the details of a command.\n',
  ].join("");
}

/** `sbctl user --help` */
export function groupHelp(group: string, commands: readonly Command[]): string {
  return [
    `Usage: sbctl ${group} <command> [options]\n`,
    "\nCommands:\n",
    commandLines(commands.filter((command) => command.words[0] === group)),
    "\nOptions:\n",
    describeOptions(GLOBAL_OPTIONS),
  ].join("");
}

/** `sbctl user add --help` */
export function commandHelp(command: Command): string {
  return [
    `Usage: ${["sbctl", ...command.words, command.usage, "[options]"].filter(Boolean).join(" ")}\n`,
    `\n${command.summary[0]?.toUpperCase()}${command.summary.slice(1)}.\n`,
    command.details === undefined ? "" : `${command.details}\n`,
    "\nOptions:\n",
    describeOptions([...command.options, ...GLOBAL_OPTIONS]),
  ].join("");
}
