// Runs runCli in-process with captured output, for tests.

import { PassThrough } from "node:stream";
import { runCli } from "../cli.js";
import type { CliInput } from "../password-input.js";

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A captured text stream. */
export class Capture {
  text = "";
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** Standard input that is not a terminal and holds `text` (nothing by default). */
export function pipedInput(text = ""): CliInput {
  const input = new PassThrough();
  input.end(text);
  return input;
}

/** A terminal in the test's hands: what is typed is `keys`; raw-mode switches are recorded. */
export function fakeTerminal(
  keys: string,
): PassThrough & CliInput & { readonly rawModes: boolean[] } {
  const rawModes: boolean[] = [];
  const input = Object.assign(new PassThrough(), {
    isTTY: true,
    rawModes,
    setRawMode(mode: boolean) {
      rawModes.push(mode);
    },
  });
  input.write(keys);
  return input;
}

export async function runSbctl(
  argv: readonly string[],
  options: { env?: Record<string, string>; stdin?: CliInput } = {},
): Promise<CliRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCli(argv, {
    env: options.env ?? {},
    stdout,
    stderr,
    stdin: options.stdin ?? pipedInput(),
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
