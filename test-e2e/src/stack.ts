// The whole Switchboard stack as real processes for one test file: auth, location and
// edge-proxy, each with its own environment, on free ports of 127.0.0.1, against MySQL and
// NATS (containers or the local servers, see backing-services.ts). Each stack has its own
// databases (dropped by stop) and NATS subject prefix, so stacks of several test files run
// side by side.

import { randomBytes } from "node:crypto";
import { type BackingServices, backingServices } from "./backing-services.js";
import { freeTcpPort, freeUdpPort, LOOPBACK } from "./free-port.js";
import { OutputLog } from "./output-log.js";
import { REPOSITORY_ROOT } from "./repository-root.js";
import type { SbctlTarget } from "./sbctl.js";
import { type ServiceName, ServiceProcess } from "./service-process.js";
import { type LocationRow, StackDatabases } from "./stack-databases.js";

type Env = Readonly<Record<string, string>>;

export interface StackOptions {
  /** Letters and digits naming the test file in database names and the NATS prefix. */
  readonly label: string;
  /** SIP_DOMAINS of the edge proxy and the domain of users; default "localhost". */
  readonly domain?: string;
  /** Extra variables per service (e.g. short SIP timers for the edge proxy). */
  readonly authEnv?: Env;
  readonly locationEnv?: Env;
  readonly edgeEnv?: Env;
  /** LOG_LEVEL of every service; default "info". */
  readonly logLevel?: string;
  /** Run the services' compiled code (`npm run build` first); default: the sources, via tsx. */
  readonly compiled?: boolean;
}

/** Where the edge proxy takes SIP. */
export interface SipAddress {
  readonly host: string;
  readonly port: number;
}

export class Stack {
  readonly domain: string;
  readonly adminToken: string;
  readonly sip: SipAddress;
  readonly auth: ServiceProcess;
  readonly location: ServiceProcess;
  readonly edge: ServiceProcess;
  readonly log: OutputLog;
  readonly backing: BackingServices;
  readonly databases: { readonly auth: string; readonly location: string };
  readonly natsPrefix: string;
  readonly #mysql: StackDatabases;

  private constructor(parts: {
    domain: string;
    adminToken: string;
    sip: SipAddress;
    services: readonly [ServiceProcess, ServiceProcess, ServiceProcess];
    log: OutputLog;
    backing: BackingServices;
    databases: { auth: string; location: string };
    natsPrefix: string;
  }) {
    this.domain = parts.domain;
    this.adminToken = parts.adminToken;
    this.sip = parts.sip;
    [this.auth, this.location, this.edge] = parts.services;
    this.log = parts.log;
    this.backing = parts.backing;
    this.databases = parts.databases;
    this.natsPrefix = parts.natsPrefix;
    this.#mysql = new StackDatabases(parts.backing.mysqlUrl, [
      parts.databases.auth,
      parts.databases.location,
    ]);
  }

  /**
   * Starts auth, location and the edge proxy and resolves once every `/readyz` answers 200.
   * On failure everything started is stopped, the databases dropped, and the error carries
   * the services' output.
   */
  static async start(options: StackOptions): Promise<Stack> {
    if (!/^[a-z0-9]{1,20}$/.test(options.label)) {
      throw new RangeError(`label must be 1-20 lower-case letters or digits: ${options.label}`);
    }
    const backing = await backingServices();
    const unique = `${options.label}_${randomBytes(4).toString("hex")}`;
    const domain = options.domain ?? "localhost";
    const adminToken = randomBytes(18).toString("base64url");
    const natsPrefix = `e2e.${unique}`;
    const databases = { auth: `e2e_${unique}_auth`, location: `e2e_${unique}_location` };
    const [authPort, locationPort, edgePort, sipPort] = await Promise.all([
      freeTcpPort(),
      freeTcpPort(),
      freeTcpPort(),
      freeUdpPort(),
    ]);
    const common = {
      NODE_ENV: "development",
      LOG_LEVEL: options.logLevel ?? "info",
      NATS_URL: backing.natsUrl,
      NATS_SUBJECT_PREFIX: natsPrefix,
      HTTP_HOST: LOOPBACK,
    };
    const log = new OutputLog();
    const serviceProcess = (name: ServiceName, httpPort: number, env: Env) =>
      new ServiceProcess(
        {
          name,
          root: REPOSITORY_ROOT,
          httpPort,
          env: { ...common, HTTP_PORT: String(httpPort), ...env },
          compiled: options.compiled ?? false,
        },
        log,
      );
    const services = [
      serviceProcess("auth", authPort, {
        MYSQL_URL: backing.mysqlUrl,
        MYSQL_DATABASE: databases.auth,
        ADMIN_TOKEN: adminToken,
        NONCE_SECRET: randomBytes(32).toString("base64url"),
        ...options.authEnv,
      }),
      serviceProcess("location", locationPort, {
        MYSQL_URL: backing.mysqlUrl,
        MYSQL_DATABASE: databases.location,
        ADMIN_TOKEN: adminToken,
        ...options.locationEnv,
      }),
      serviceProcess("edge-proxy", edgePort, {
        SIP_LISTEN_HOST: LOOPBACK,
        SIP_ADVERTISED_HOST: LOOPBACK,
        SIP_PORT: String(sipPort),
        SIP_DOMAINS: domain,
        RPC_TIMEOUT_MS: "500",
        SHUTDOWN_GRACE_S: "1",
        ...options.edgeEnv,
      }),
    ] as const;
    const stack = new Stack({
      domain,
      adminToken,
      sip: { host: LOOPBACK, port: sipPort },
      services,
      log,
      backing,
      databases,
      natsPrefix,
    });
    try {
      await Promise.all(services.map((service) => service.start()));
    } catch (error) {
      await stack.stop();
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`the stack did not start: ${reason}\n${log.since()}`, { cause: error });
    }
    return stack;
  }

  /** Where sbctl finds the admin APIs. */
  get admin(): SbctlTarget {
    return {
      authUrl: this.auth.httpUrl,
      locationUrl: this.location.httpUrl,
      token: this.adminToken,
      domain: this.domain,
    };
  }

  /** The rows of the location service's `location` table for `username` of the stack's domain. */
  locationRows(username: string, domain = this.domain): Promise<LocationRow[]> {
    return this.#mysql.locationRows(this.databases.location, username, domain);
  }

  /** Stops every service (SIGTERM) and drops the stack's databases. */
  async stop(): Promise<void> {
    await Promise.all([this.edge.stop(), this.auth.stop(), this.location.stop()]);
    await this.#mysql.drop();
  }
}
