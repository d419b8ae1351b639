// The edge proxy's configuration, from the environment, validated once at start.

import { isIP } from "node:net";
import {
  ConfigError,
  type ConfigOf,
  type ConfigSpec,
  commonConfig,
  type DevelopmentSecret,
  developmentSecretWarnings,
  type Environment,
  envValue,
  loadConfig,
  productionSecretProblems,
} from "@switchboard/kit";

/** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens. */
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** A host name or an IP literal (IPv6 with or without brackets), lower-cased, IPv6 bare. */
function normalizeHost(text: string): string | undefined {
  const host = text.trim().toLowerCase();
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (isIP(bare) !== 0) return bare;
  return HOST_NAME.test(host) ? host : undefined;
}

const ipLiteral = envValue
  .text()
  .refine((value) => isIP(value) !== 0, "must be an IP address (0.0.0.0 listens on all)");

/** Empty means "not set": the value is then derived at start. */
const optionalHost = envValue
  .text(0)
  .refine((value) => value === "" || normalizeHost(value) !== undefined, {
    message: "must be a host name or an IP address",
  })
  .transform((value) => (value === "" ? undefined : normalizeHost(value)));

const optionalPort = envValue
  .text(0)
  .refine((value) => value === "" || (/^\d{1,5}$/.test(value) && +value >= 1 && +value <= 65535), {
    message: "must be a port number from 1 to 65535",
  })
  .transform((value) => (value === "" ? undefined : Number(value)));

const domainList = envValue
  .text()
  .transform((value) => value.split(",").map((domain) => domain.trim()))
  .refine((domains) => domains.every((domain) => normalizeHost(domain) !== undefined), {
    message: "must be a comma-separated list of domains (host names or IP addresses)",
  })
  .transform((domains) => [...new Set(domains.map((domain) => normalizeHost(domain) as string))]);

/** The development default of ROUTE_SECRET; production refuses it. */
const DEV_ROUTE_SECRET = "dev-route-secret-not-for-production";

const MIN_PRODUCTION_ROUTE_SECRET = 32;

const QOP_OFFERS = ["auth", "auth,auth-int", "none"] as const;

export const edgeConfigSpec = {
  ...commonConfig({ httpPort: 8080 }),
  SIP_LISTEN_HOST: {
    schema: ipLiteral,
    default: "0.0.0.0",
    description: "Address the SIP UDP socket binds (0.0.0.0: every IPv4 address).",
  },
  SIP_PORT: {
    schema: envValue.port(),
    default: "5060",
    description: "UDP port of the SIP socket.",
  },
  SIP_ADVERTISED_HOST: {
    schema: optionalHost,
    default: "",
    description:
      "Host written in Via, Record-Route and Path: this proxy's address as phones see it (default: the listen address, or 127.0.0.1 when listening on all).",
  },
  SIP_ADVERTISED_PORT: {
    schema: optionalPort,
    default: "",
    description: "Port written in Via, Record-Route and Path (default: the bound SIP port).",
  },
  SIP_DOMAINS: {
    schema: domainList,
    default: "localhost",
    description:
      "Domains served (comma-separated); the first is the default domain of URIs naming this proxy by address.",
  },
  MAX_FORWARDS_LIMIT: {
    schema: envValue.integer(1, 255),
    default: "10",
    description:
      "Highest Max-Forwards a forwarded request carries (SER's mf_process_maxfwd_header).",
  },
  MAX_MESSAGE_BYTES: {
    schema: envValue.integer(512, 65_507),
    default: "8192",
    description: "Largest request accepted; longer ones get 513 Message Too Large (SER's max_len).",
  },
  SIP_RECEIVE_BUFFER_BYTES: {
    schema: envValue.integer(65_536, 1_073_741_824),
    default: "4194304",
    description:
      "UDP socket receive buffer; rides out bursts. The kernel caps it at net.core.rmem_max: raise that too.",
  },
  WARM_UP_ROUNDS: {
    schema: envValue.integer(0, 100_000),
    default: "2000",
    description:
      "Rounds of a typical registration and call run through the SIP code before the SIP port opens, so that the first requests after a start run compiled code (2000: ~0.3 s of CPU); 0 skips it.",
  },
  ENABLE_FULL_LR: {
    schema: envValue.boolean(),
    default: "false",
    description: "Write `;lr=on` instead of `;lr` in Record-Route (for old RFC 2543 elements).",
  },
  ROUTE_SECRET: {
    schema: envValue.text(),
    default: DEV_ROUTE_SECRET,
    description: `Key signing this proxy's Record-Route per dialog, the same on every edge instance: in-dialog requests are relayed only along a signed Route. Required in production (at least ${MIN_PRODUCTION_ROUTE_SECRET} characters).`,
    secret: true,
  },
  AUTH_QOP: {
    schema: envValue.oneOf(QOP_OFFERS),
    default: "auth",
    description:
      "qop offered in digest challenges: auth, auth,auth-int, or none (RFC 2069 phones).",
  },
  RPC_TIMEOUT_MS: {
    schema: envValue.integer(10, 60_000),
    default: "2000",
    description:
      "Longest wait for auth or location before answering 503 Service Unavailable; above their MYSQL_TIMEOUT_MS so a slow database is reported by them.",
  },
  RETRY_AFTER_S: {
    schema: envValue.integer(0, 86_400),
    default: "5",
    description: "Retry-After of a 503 sent when auth or location does not answer.",
  },
  TIMER_C_S: {
    schema: envValue.integer(1, 86_400),
    default: "180",
    description: "RFC 3261 §16.8 Timer C: longest wait for progress on a forwarded INVITE.",
  },
  SIP_T1_MS: {
    schema: envValue.integer(1, 60_000),
    default: "500",
    description: "RFC 3261 T1 (round-trip estimate); most transaction timers derive from it.",
  },
  SIP_T2_MS: {
    schema: envValue.integer(1, 600_000),
    default: "4000",
    description: "RFC 3261 T2: longest retransmission interval.",
  },
  SIP_T4_MS: {
    schema: envValue.integer(1, 600_000),
    default: "5000",
    description: "RFC 3261 T4: longest time a message stays in the network.",
  },
  SHUTDOWN_GRACE_S: {
    schema: envValue.integer(0, 3600),
    default: "32",
    description: "On SIGTERM, how long running transactions may take to finish.",
  },
} satisfies ConfigSpec;

export type EdgeConfig = ConfigOf<typeof edgeConfigSpec>;

export interface LoadedEdgeConfig {
  readonly config: EdgeConfig;
  /** Derived defaults and development secrets worth a warning in the log. */
  readonly warnings: readonly string[];
}

/** True for 0.0.0.0 and ::, which bind every address of the machine. */
export function isWildcardAddress(host: string): boolean {
  return host === "0.0.0.0" || host === "::";
}

/**
 * Parses the environment. Outside production ROUTE_SECRET falls back to a development
 * default (reported in `warnings`); in production it must be set.
 * @throws ConfigError naming every wrong variable, in one line.
 */
export function loadEdgeConfig(env: Environment): LoadedEdgeConfig {
  const config = loadConfig(edgeConfigSpec, env);
  // RFC 3261 §17.1.2.2: T2 caps intervals that start at T1.
  if (config.SIP_T1_MS > config.SIP_T2_MS) {
    throw new ConfigError([{ variable: "SIP_T1_MS", problem: "must not exceed SIP_T2_MS" }]);
  }
  const secrets: DevelopmentSecret[] = [
    {
      variable: "ROUTE_SECRET",
      value: config.ROUTE_SECRET,
      devDefault: DEV_ROUTE_SECRET,
      minProductionLength: MIN_PRODUCTION_ROUTE_SECRET,
    },
  ];
  const problems = productionSecretProblems(config.NODE_ENV, secrets);
  if (problems.length > 0) throw new ConfigError(problems);
  const warnings = developmentSecretWarnings(config.NODE_ENV, secrets);
  if (config.SIP_ADVERTISED_HOST === undefined && isWildcardAddress(config.SIP_LISTEN_HOST)) {
    warnings.push(
      "SIP_ADVERTISED_HOST is not set and SIP_LISTEN_HOST is a wildcard: advertising 127.0.0.1, which only local phones can reach",
    );
  }
  return { config, warnings };
}
