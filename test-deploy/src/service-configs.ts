// What each Switchboard process reads from its environment, from the services' own
// configuration specs (kit's describeConfig) and loaders, so that the deployment files are
// checked against the code that runs, not against a list kept here.

import { authConfigSpec, loadAuthConfig } from "@switchboard/auth";
import { type ConfigSpec, describeConfig, type Environment } from "@switchboard/kit";
import { loadLocationConfig, locationConfigSpec } from "@switchboard/location";
import { repoFileExists } from "./repo.js";

/** The processes the image runs. */
export type ProcessKind = "auth" | "location" | "edge-proxy" | "sbctl";

export interface ProcessConfig {
  /** Every variable the process reads. */
  readonly known: ReadonlySet<string>;
  /** Variables without a default: a deployment must set them. */
  readonly required: ReadonlySet<string>;
  /** Parses `env` as the process's main does; throws its ConfigError when it would refuse. */
  load(env: Environment): void;
}

function fromSpec(spec: ConfigSpec, load: (env: Environment) => unknown): ProcessConfig {
  const variables = describeConfig(spec);
  return {
    known: new Set(variables.map((variable) => variable.name)),
    required: new Set(variables.filter((v) => v.required).map((v) => v.name)),
    load: (env) => void load(env),
  };
}

/**
 * sbctl reads these (packages/sbctl/src/settings.ts, no kit spec: it is a CLI whose flags
 * override them); stack.test.ts shows each one taking effect against the real services.
 */
export const SBCTL_VARIABLES = [
  "AUTH_ADMIN_URL",
  "LOCATION_ADMIN_URL",
  "ADMIN_TOKEN",
  "SIP_DOMAIN",
] as const;

const sbctl: ProcessConfig = {
  known: new Set(SBCTL_VARIABLES),
  required: new Set(),
  load: () => {},
};

function isConfigSpec(value: unknown): value is ConfigSpec {
  return (
    value !== null &&
    typeof value === "object" &&
    Object.values(value).every(
      (v) => v !== null && typeof v === "object" && "schema" in v && "description" in v,
    )
  );
}

// The edge proxy is written alongside these checks: its configuration is found by the
// names auth and location use (`…ConfigSpec`, `load…Config`) once its package exports them.
const EDGE_PACKAGE: string = "@switchboard/edge-proxy";

async function edgeProxyConfig(): Promise<ProcessConfig | undefined> {
  if (!repoFileExists("services/edge-proxy/src/index.ts")) return undefined;
  const exports = (await import(EDGE_PACKAGE)) as Record<string, unknown>;
  const spec = Object.entries(exports).find(
    ([name, value]) => /ConfigSpec$/.test(name) && isConfigSpec(value),
  )?.[1];
  const load = Object.entries(exports).find(
    ([name, value]) => /^load\w*Config$/.test(name) && typeof value === "function",
  )?.[1];
  if (spec === undefined || load === undefined) return undefined;
  return fromSpec(spec as ConfigSpec, load as (env: Environment) => unknown);
}

const CONFIGS: Readonly<Partial<Record<ProcessKind, ProcessConfig>>> = {
  auth: fromSpec(authConfigSpec, loadAuthConfig),
  location: fromSpec(locationConfigSpec, loadLocationConfig),
  "edge-proxy": await edgeProxyConfig(),
  sbctl,
};

/** The configuration of `kind`, or undefined while its service exports none. */
export function processConfig(kind: ProcessKind): ProcessConfig | undefined {
  return CONFIGS[kind];
}

const ENTRY_POINTS: Readonly<Record<string, ProcessKind>> = {
  "services/auth/dist/main.js": "auth",
  "services/auth/dist/migrate.js": "auth",
  "services/location/dist/main.js": "location",
  "services/location/dist/migrate.js": "location",
  "services/edge-proxy/dist/main.js": "edge-proxy",
  "packages/sbctl/dist/main.js": "sbctl",
};

/** Every entry point a deployment may start, with the process it runs. */
export const ENTRY_POINT_FILES: readonly string[] = Object.keys(ENTRY_POINTS);

/**
 * The process a container command runs (`node services/auth/dist/main.js` → auth): the
 * first entry point among its words, or undefined for a command that runs none.
 */
export function processOfCommand(words: readonly string[]): ProcessKind | undefined {
  for (const word of words) {
    const kind = ENTRY_POINTS[word];
    if (kind !== undefined) return kind;
  }
  return undefined;
}

/** Variables set that the process does not read, and required ones left unset. */
export function environmentProblems(kind: ProcessKind, names: Iterable<string>): string[] {
  const config = processConfig(kind);
  if (config === undefined) return [`${kind} exports no configuration spec to check against`];
  const set = new Set(names);
  return [
    ...[...set].filter((name) => !config.known.has(name)).map((name) => `${name} is not read`),
    ...[...config.required]
      .filter((name) => !set.has(name))
      .map((name) => `${name} is required but not set`),
  ];
}
