// Variable interpolation as the Compose specification defines it ("Interpolation"):
// $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error},
// ${VAR:+replacement}, ${VAR+replacement}, and $$ for a literal $. Defaults may nest.

export type Environment = Readonly<Record<string, string | undefined>>;

/** A required variable (`${VAR:?message}`) is missing. */
export class InterpolationError extends Error {
  override name = "InterpolationError";
}

interface Expansion {
  readonly value: string;
  /** Index just past the expression. */
  readonly end: number;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** The index of the `}` that closes the expression whose body starts at `start`. */
function closingBrace(text: string, start: number): number {
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    if (text[i] === "$" && text[i + 1] === "{") {
      depth++;
      i++;
    } else if (text[i] === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new InterpolationError(`unterminated \${ in ${JSON.stringify(text)}`);
}

interface Scan {
  readonly env: Environment;
  /** Variable names met so far. */
  readonly seen: Set<string>;
  /** Collect names only: expand every default, raise no error. */
  readonly collect: boolean;
}

function expandBraced(text: string, open: number, scan: Scan): Expansion {
  const close = closingBrace(text, open + 2);
  const body = text.slice(open + 2, close);
  const name = NAME.exec(body)?.[0];
  if (name === undefined) throw new InterpolationError(`invalid expression \${${body}}`);
  scan.seen.add(name);
  const operator = /^(:?[-?+])?/.exec(body.slice(name.length))?.[0] ?? "";
  const argument = body.slice(name.length + operator.length);
  if (operator === "" && argument !== "") {
    throw new InterpolationError(`invalid expression \${${body}}`);
  }
  const nested = () => interpolateWith(argument, scan);
  if (scan.collect) {
    nested();
    return { value: "", end: close + 1 };
  }
  const value = scan.env[name];
  const unset = value === undefined;
  const unsetOrEmpty = unset || value === "";
  const result = (() => {
    switch (operator) {
      case ":-":
        return unsetOrEmpty ? nested() : value;
      case "-":
        return unset ? nested() : value;
      case ":?":
      case "?":
        if (operator === ":?" ? unsetOrEmpty : unset) {
          throw new InterpolationError(`${name}: ${nested() || "required variable is missing"}`);
        }
        return value ?? "";
      case ":+":
        return unsetOrEmpty ? "" : nested();
      case "+":
        return unset ? "" : nested();
      default:
        return value ?? "";
    }
  })();
  return { value: result ?? "", end: close + 1 };
}

function interpolateWith(text: string, scan: Scan): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf("$", i);
    if (dollar === -1) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === "$") {
      out += "$";
      i = dollar + 2;
    } else if (next === "{") {
      const expansion = expandBraced(text, dollar, scan);
      out += expansion.value;
      i = expansion.end;
    } else {
      const name = NAME.exec(text.slice(dollar + 1))?.[0];
      if (name === undefined) {
        out += "$";
        i = dollar + 1;
      } else {
        scan.seen.add(name);
        out += scan.env[name] ?? "";
        i = dollar + 1 + name.length;
      }
    }
  }
  return out;
}

/** `text` with every variable expanded from `env`. */
export function interpolate(text: string, env: Environment): string {
  return interpolateWith(text, { env, seen: new Set(), collect: false });
}

/** The names of the variables `text` refers to, defaults included. */
export function referencedVariables(text: string): Set<string> {
  const scan: Scan = { env: {}, seen: new Set(), collect: true };
  interpolateWith(text, scan);
  return scan.seen;
}

/** A parsed YAML/JSON value with every string interpolated (keys are left as they are). */
export function interpolateValues(value: unknown, env: Environment): unknown {
  if (typeof value === "string") return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateValues(item, env));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolateValues(item, env)]),
    );
  }
  return value;
}
