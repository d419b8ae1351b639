// What each Switchboard process reads from its environment, from the services' own
// configuration specs (kit's describeConfig) and loaders, so that the deployment files and
// the configuration reference follow the code that runs, not a list kept here.

import { authConfigSpec, loadAuthConfig } from "@switchboard/auth";
import { edgeConfigSpec, loadEdgeConfig } from "@switchboard/edge-proxy";
import {
  ConfigError,
  type ConfigSpec,
  type ConfigVarDescription,
  describeConfig,
  type Environment,
} from "@switchboard/kit";
import { SERVICE_NODE_FLAGS } from "@switchboard/kit/service-node-flags";
import { loadLocationConfig, locationConfigSpec } from "@switchboard/location";
import {
  DEFAULT_ADMIN_TOKEN,
  DEFAULT_AUTH_URL,
  DEFAULT_DOMAIN,
  DEFAULT_LOCATION_URL,
} from "@switchboard/sbctl";

/** The processes the image runs, in the order the configuration reference lists them. */
export const PROCESS_KINDS = ["edge-proxy", "auth", "location", "sbctl"] as const;
export type ProcessKind = (typeof PROCESS_KINDS)[number];

export interface ProcessConfig {
  /** Every variable the process reads, in the order its spec declares them. */
  readonly variables: readonly ConfigVarDescription[];
  readonly known: ReadonlySet<string>;
  /** Variables without a default: a deployment must set them. */
  readonly required: ReadonlySet<string>;
  /**
   * Parses `env` as the process's main does and returns the warnings it would log.
   * @throws ConfigError when the process would refuse to start.
   */
  load(env: Environment): readonly string[];
}

function fromVariables(
  variables: readonly ConfigVarDescription[],
  load: (env: Environment) => readonly string[],
): ProcessConfig {
  return {
    variables,
    known: new Set(variables.map((variable) => variable.name)),
    required: new Set(variables.filter((v) => v.required).map((v) => v.name)),
    load,
  };
}

function fromSpec(spec: ConfigSpec, load: (env: Environment) => readonly string[]) {
  return fromVariables(describeConfig(spec), load);
}

/**
 * sbctl's variables (packages/sbctl/src/settings.ts; no kit spec: it is a CLI whose flags
 * override them, and it refuses nothing at start).
 */
const SBCTL_VARIABLES: readonly ConfigVarDescription[] = [
  {
    name: "AUTH_ADMIN_URL",
    default: DEFAULT_AUTH_URL,
    description: "Base URL of auth's admin API (`--auth-url` overrides it).",
    required: false,
    secret: false,
  },
  {
    name: "LOCATION_ADMIN_URL",
    default: DEFAULT_LOCATION_URL,
    description: "Base URL of location's admin API (`--location-url` overrides it).",
    required: false,
    secret: false,
  },
  {
    name: "ADMIN_TOKEN",
    default: DEFAULT_ADMIN_TOKEN,
    description:
      "Bearer token sent to both admin APIs: the services' ADMIN_TOKEN (`--token` overrides it).",
    required: false,
    secret: true,
  },
  {
    name: "SIP_DOMAIN",
    default: DEFAULT_DOMAIN,
    description:
      "Domain of users and AORs named without `@domain` (`--domain` overrides it); keep it the first of the edge proxy's SIP_DOMAINS.",
    required: false,
    secret: false,
  },
];

const CONFIGS: Readonly<Record<ProcessKind, ProcessConfig>> = {
  "edge-proxy": fromSpec(edgeConfigSpec, (env) => loadEdgeConfig(env).warnings),
  auth: fromSpec(authConfigSpec, (env) => loadAuthConfig(env).warnings),
  location: fromSpec(locationConfigSpec, (env) => {
    loadLocationConfig(env);
    return [];
  }),
  sbctl: fromVariables(SBCTL_VARIABLES, () => []),
};

export function processConfig(kind: ProcessKind): ProcessConfig {
  return CONFIGS[kind];
}

/**
 * The variables whose development default `kind` refuses in production: the problems its
 * loader reports for `NODE_ENV=production` with nothing else set. sbctl refuses nothing
 * itself, but talks to services that refuse their development ADMIN_TOKEN: a variable it
 * shares with a service is required in production when that service requires it.
 */
export function requiredInProduction(kind: ProcessKind): ReadonlySet<string> {
  if (kind === "sbctl") {
    const services = PROCESS_KINDS.filter((other) => other !== "sbctl");
    return new Set(
      SBCTL_VARIABLES.map((v) => v.name).filter((name) =>
        services.some((service) => requiredInProduction(service).has(name)),
      ),
    );
  }
  try {
    processConfig(kind).load({ NODE_ENV: "production" });
    return new Set();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return new Set(error.problems.map((problem) => problem.variable));
  }
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

/** The entry points that run `kind` (a service's main and its migrate entry share a config). */
export function entryPointsOf(kind: ProcessKind): string[] {
  return ENTRY_POINT_FILES.filter((file) => ENTRY_POINTS[file] === kind);
}

/**
 * The command a container runs `entry` with: a service's main with the Node.js flags
 * production starts the services with, a migration or sbctl with plain node.
 */
export function containerCommand(entry: string): string[] {
  const serviceMain = entry.startsWith("services/") && entry.endsWith("/dist/main.js");
  return serviceMain ? ["node", ...SERVICE_NODE_FLAGS, entry] : ["node", entry];
}

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
  const set = new Set(names);
  return [
    ...[...set].filter((name) => !config.known.has(name)).map((name) => `${name} is not read`),
    ...[...config.required]
      .filter((name) => !set.has(name))
      .map((name) => `${name} is required but not set`),
  ];
}
