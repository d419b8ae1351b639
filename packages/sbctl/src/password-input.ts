// Reading a new password without it ever appearing on screen or in argv: from a terminal
// in raw mode (no echo, asked twice) or from standard input.

import { StringDecoder } from "node:string_decoder";

/** Standard input as sbctl uses it; a terminal has `isTTY` and `setRawMode`. */
export interface CliInput extends NodeJS.ReadableStream {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/** Where prompts go (standard error, so that standard output stays data only). */
export interface TextSink {
  write(text: string): unknown;
}

/** The password could not be read: input ended, the operator cancelled, or typos. */
export class PasswordInputError extends Error {
  override name = "PasswordInputError";
}

const MAX_PASSWORD_INPUT_BYTES = 4096;
const CTRL_C = "\u0003";
const CTRL_D = "\u0004";
const CTRL_U = "\u0015";
const BACKSPACE = "\b";
const DELETE = "\u007f";

/**
 * The whole of `input` up to its end, minus one trailing line break, as with
 * `echo "$PASSWORD" | sbctl user add 1000 --password-stdin`.
 * @throws {@link PasswordInputError} when it is empty or longer than 4 KiB.
 */
export async function readPasswordFromStream(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > MAX_PASSWORD_INPUT_BYTES) {
      throw new PasswordInputError("the password on standard input is longer than 4 KiB");
    }
    chunks.push(bytes);
  }
  const password = Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
  if (password === "") throw new PasswordInputError("the password on standard input is empty");
  return password;
}

/** Lines typed on a terminal in raw mode, with backspace and Ctrl-U editing, never echoed. */
class HiddenLineReader {
  private readonly decoder = new StringDecoder("utf8");
  private readonly lines: string[] = [];
  private current: string[] = [];
  private afterCarriageReturn = false;
  private failure: PasswordInputError | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly input: CliInput) {
    input.on("data", this.onData);
    input.on("end", this.onEnd);
    input.resume();
  }

  async next(): Promise<string> {
    while (this.lines.length === 0) {
      if (this.failure !== undefined) throw this.failure;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    return this.lines.shift() ?? "";
  }

  close(): void {
    this.input.off("data", this.onData);
    this.input.off("end", this.onEnd);
    this.input.pause();
  }

  private readonly onData = (chunk: Buffer | string): void => {
    const text = typeof chunk === "string" ? chunk : this.decoder.write(chunk);
    for (const char of text) this.onCharacter(char);
    this.wake?.();
  };

  private readonly onEnd = (): void => {
    this.failure ??= new PasswordInputError("standard input ended before the password");
    this.wake?.();
  };

  private onCharacter(char: string): void {
    const isLineFeedOfCrLf = char === "\n" && this.afterCarriageReturn;
    this.afterCarriageReturn = char === "\r";
    if (isLineFeedOfCrLf || this.failure !== undefined) return;
    if (char === "\r" || char === "\n") {
      this.lines.push(this.current.join(""));
      this.current = [];
    } else if (char === CTRL_C || (char === CTRL_D && this.current.length === 0)) {
      this.failure = new PasswordInputError("cancelled");
    } else if (char === BACKSPACE || char === DELETE) {
      this.current.pop();
    } else if (char === CTRL_U) {
      this.current = [];
    } else if (char >= " ") {
      this.current.push(char);
    }
  }
}

/**
 * Asks for a new password twice on a terminal, echoing nothing, and returns it when both
 * entries match. The terminal is put back in cooked mode whatever happens.
 * @throws {@link PasswordInputError} when cancelled (Ctrl-C, Ctrl-D), empty or mismatched.
 */
export async function promptNewPassword(input: CliInput, prompts: TextSink): Promise<string> {
  input.setRawMode?.(true);
  const reader = new HiddenLineReader(input);
  const ask = async (prompt: string): Promise<string> => {
    prompts.write(prompt);
    try {
      return await reader.next();
    } finally {
      prompts.write("\n");
    }
  };
  try {
    const first = await ask("New password: ");
    const second = await ask("Retype new password: ");
    if (first === "") throw new PasswordInputError("the password is empty");
    if (first !== second) throw new PasswordInputError("the passwords do not match");
    return first;
  } finally {
    reader.close();
    input.setRawMode?.(false);
  }
}
