// What the stack's processes wrote, interleaved in arrival order and prefixed with the
// process name, kept in memory (bounded) so a failing test can print it.

const MAX_CHARS = 4_000_000;

export class OutputLog {
  #text = "";
  /** Characters dropped from the front to stay within the bound. */
  #dropped = 0;
  #partial = new Map<string, string>();

  /** Appends a chunk written by `source`; complete lines get the `[source] ` prefix. */
  append(source: string, chunk: string): void {
    const pending = (this.#partial.get(source) ?? "") + chunk;
    const lastNewline = pending.lastIndexOf("\n");
    if (lastNewline === -1) {
      this.#partial.set(source, pending);
      return;
    }
    this.#partial.set(source, pending.slice(lastNewline + 1));
    const lines = pending.slice(0, lastNewline).split("\n");
    this.#text += lines.map((line) => `[${source}] ${line}\n`).join("");
    if (this.#text.length > MAX_CHARS) {
      const cut = this.#text.length - MAX_CHARS;
      this.#text = this.#text.slice(cut);
      this.#dropped += cut;
    }
  }

  /** A position to read from later with `since`. */
  mark(): number {
    return this.#dropped + this.#text.length;
  }

  /** Everything appended after `mark` (as much as is still kept), plus unfinished lines. */
  since(mark = 0): string {
    const start = Math.max(0, mark - this.#dropped);
    const unfinished = [...this.#partial]
      .filter(([, text]) => text !== "")
      .map(([source, text]) => `[${source}] ${text}\n`)
      .join("");
    return this.#text.slice(start) + unfinished;
  }
}
