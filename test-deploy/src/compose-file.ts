// docker-compose.yml as Compose reads it: YAML with anchors and merge keys, then every
// string interpolated from the environment (the shell's, or .env's).

import { parse } from "yaml";
import { type Environment, interpolateValues, referencedVariables } from "./compose-interpolate.js";
import { readRepoFile } from "./repo.js";

export const COMPOSE_FILE = "docker-compose.yml";

export interface ComposeHealthcheck {
  readonly test?: string | readonly string[];
  readonly disable?: boolean;
}

export interface ComposeDependency {
  readonly condition: "service_started" | "service_healthy" | "service_completed_successfully";
}

export interface ComposeService {
  readonly image?: string;
  readonly build?: { readonly context: string };
  readonly command?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly ports?: readonly string[];
  readonly volumes?: readonly string[];
  readonly healthcheck?: ComposeHealthcheck;
  readonly depends_on?: Readonly<Record<string, ComposeDependency>>;
  readonly profiles?: readonly string[];
  readonly restart?: string;
  /** A Compose duration, e.g. `40s` or `1m30s`. */
  readonly stop_grace_period?: string;
}

export interface ComposeModel {
  readonly name?: string;
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes?: Readonly<Record<string, unknown>>;
}

/** The compose file's text. */
export function composeText(): string {
  return readRepoFile(COMPOSE_FILE);
}

/** The YAML document with anchors and merge keys resolved, before interpolation. */
export function composeDocument(): unknown {
  return parse(composeText(), { merge: true });
}

/** The model Compose runs with the variables of `env` (unset ones take their defaults). */
export function loadCompose(env: Environment = {}): ComposeModel {
  return interpolateValues(composeDocument(), env) as ComposeModel;
}

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

/** Every variable the compose file interpolates (comments aside). */
export function composeVariables(): Set<string> {
  return new Set(strings(composeDocument()).flatMap((text) => [...referencedVariables(text)]));
}

/** A Compose duration in seconds (`40s`, `1m30s`, `1h`); throws on other units. */
export function durationSeconds(text: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (match === null || text === "") throw new Error(`not a duration in h, m and s: ${text}`);
  const [, hours = "0", minutes = "0", seconds = "0"] = match;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}
