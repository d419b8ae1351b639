// Plain-text output: aligned tables and field lists, safe to print on a terminal.

const COLUMN_GAP = "  ";
// C0 and C1 controls, DEL, and the bidirectional overrides that can disguise text.
const UNSAFE_CHARACTERS = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * `value` with every control or bidi-override character written as `\u{…}`, so that data
 * from the services (a phone's User-Agent, say) cannot move the cursor or recolour the
 * operator's terminal.
 */
export function displayText(value: string): string {
  return value.replace(
    UNSAFE_CHARACTERS,
    (char) => `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`,
  );
}

function widthOf(text: string): number {
  return [...text].length;
}

function formatRow(cells: readonly string[], widths: readonly number[]): string {
  const padded = cells.map(
    (cell, index) => cell + " ".repeat((widths[index] ?? 0) - widthOf(cell)),
  );
  return padded.join(COLUMN_GAP).trimEnd();
}

/**
 * A table with a header line and one line per row, columns left-aligned and separated by
 * two spaces; no line ends in spaces. Cells pass through
 * {@link displayText}. Every line ends with `\n`.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]) {
  const lines = [header, ...rows].map((cells) => cells.map(displayText));
  const widths = header.map((_, column) =>
    Math.max(...lines.map((cells) => widthOf(cells[column] ?? ""))),
  );
  return lines.map((cells) => `${formatRow(cells, widths)}\n`).join("");
}

/** `name  value` lines with the values aligned, for one record. */
export function formatFields(fields: readonly (readonly [string, string])[]): string {
  const width = Math.max(...fields.map(([name]) => widthOf(name)));
  return fields
    .map(([name, value]) => `${name.padEnd(width)}${COLUMN_GAP}${displayText(value)}\n`)
    .join("");
}

/** The text shown for a value the service left empty. */
export function orDash(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === "" ? "-" : String(value);
}
