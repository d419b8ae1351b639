// The repository's Dockerfile, parsed into build stages, and its build context as
// .dockerignore shapes it.

import { DockerfileParser, type Instruction, type JSONInstruction } from "dockerfile-ast";
import { readRepoFile } from "./repo.js";

export interface Stage {
  readonly name: string;
  /** The FROM image or stage, variables expanded (`node:20-bookworm-slim`, `manifests`). */
  readonly base: string;
  readonly instructions: readonly Instruction[];
}

export interface CopyInstruction {
  /** The --from stage, or undefined for the build context. */
  readonly from: string | undefined;
  readonly sources: readonly string[];
  readonly destination: string;
}

export function dockerfileText(): string {
  return readRepoFile("Dockerfile");
}

/** The Dockerfile's stages in order, with ARG defaults expanded in FROM. */
export function dockerfileStages(text = dockerfileText()): Stage[] {
  const dockerfile = DockerfileParser.parse(text);
  const args = new Map(
    dockerfile
      .getInitialARGs()
      .map((arg) => arg.getProperty())
      .flatMap((p) => (p === null ? [] : [[p.getName(), p.getValue() ?? ""] as const])),
  );
  const stages: { name: string; base: string; instructions: Instruction[] }[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === "FROM") {
      const [image = "", , name = String(stages.length)] = instruction
        .getArguments()
        .map((a) => a.getValue());
      const base = image.replace(/\$\{(\w+)\}/g, (_, variable: string) => args.get(variable) ?? "");
      stages.push({ name, base, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** The stage named `name`; throws when there is none. */
export function stage(stages: readonly Stage[], name: string): Stage {
  const found = stages.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`the Dockerfile has no stage ${name}`);
  return found;
}

export function instructionsOf(s: Stage, keyword: string): Instruction[] {
  return s.instructions.filter((instruction) => instruction.getKeyword() === keyword);
}

/** A stage's COPY instructions. */
export function copies(s: Stage): CopyInstruction[] {
  return instructionsOf(s, "COPY").map((instruction) => {
    const words = instruction.getArguments().map((argument) => argument.getValue());
    const fromFlag = (
      instruction as unknown as { getFromFlag(): { getValue(): string } | null }
    ).getFromFlag();
    return {
      from: fromFlag?.getValue() ?? undefined,
      sources: words.slice(0, -1),
      destination: words.at(-1) ?? "",
    };
  });
}

/** The exec-form (JSON) words of a CMD or ENTRYPOINT. */
export function execForm(instruction: Instruction): string[] {
  return (instruction as JSONInstruction).getJSONStrings().map((s) => s.getJSONValue());
}

/** The words of a RUN, one shell command line (line continuations joined). */
export function runLine(instruction: Instruction): string {
  return instruction
    .getArguments()
    .map((argument) => argument.getValue())
    .join(" ");
}

/** The exec-form command of a HEALTHCHECK CMD (its --options are not part of it). */
export function healthcheckCommand(instruction: Instruction): string[] {
  const text = (instruction.getRawArgumentsContent() ?? "").replace(/\\\r?\n/g, " ");
  const json = /(?:^|\s)CMD\s+(\[.*\])\s*$/s.exec(text)?.[1];
  if (json === undefined) throw new Error(`HEALTHCHECK is not CMD [...]: ${text}`);
  return JSON.parse(json) as string[];
}

interface IgnoreRule {
  readonly negated: boolean;
  readonly pattern: RegExp;
}

/** A .dockerignore pattern as a regular expression over slash-separated paths. */
function patternRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === "*" && pattern[i + 1] === "*") {
      // "**" matches any number of directories, "**/" included.
      source += pattern[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += pattern[i + 2] === "/" ? 2 : 1;
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** The rules of .dockerignore, in order. */
function ignoreRules(): IgnoreRule[] {
  return readRepoFile(".dockerignore")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const negated = line.startsWith("!");
      const pattern = (negated ? line.slice(1) : line).replace(/^\/+|\/+$/g, "");
      return { negated, pattern: patternRegExp(pattern) };
    });
}

/**
 * True when `path` (relative to the repository root) is left out of the build context: as
 * Docker decides it, the last rule matching the path or one of its parent directories wins.
 */
export function isIgnored(path: string): boolean {
  const parts = path.replace(/\/+$/, "").split("/");
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
  let ignored = false;
  for (const rule of ignoreRules()) {
    if (candidates.some((candidate) => rule.pattern.test(candidate))) ignored = !rule.negated;
  }
  return ignored;
}
