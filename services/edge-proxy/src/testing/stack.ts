// The whole SIP path in one process for the integration tests: auth and location
// started in-process (through start functions the test file passes in, so that only
// test files import other services), the edge proxy on a free UDP port of 127.0.0.1,
// the real MySQL and NATS with a database and subject prefix unique to the test file,
// and test UAs that are closed with the stack.

import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { createLogger, dropDatabase, type Environment } from "@switchboard/kit";
import type { Destination } from "@switchboard/sip";
import { loadEdgeConfig } from "../config.js";
import { type EdgeProxy, startEdgeProxy } from "../start-edge-proxy.js";
import { TestUa } from "./test-ua.js";

type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** A service started in-process: its HTTP app (for the admin API) and its stop. */
export interface InProcessService {
  readonly app: {
    inject(options: {
      method: HttpMethod;
      url: string;
      headers?: Record<string, string>;
      payload?: object;
    }): Promise<{ statusCode: number; body: string }>;
  };
  stop(): Promise<void>;
}

/** How to start auth and location from environment variables. */
export interface StackServices {
  startAuth(env: Environment): Promise<InProcessService>;
  startLocation(env: Environment): Promise<InProcessService>;
}

export const TEST_DOMAIN = "localhost";
const ADMIN_TOKEN = "edge-test-admin-token-0123456789";
const MYSQL_SERVER = (process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306").replace(/\/$/, "");
const NATS_URL = process.env.NATS_URL ?? "nats://127.0.0.1:4222";

/** A TCP port nobody listens on right now (for the services' HTTP servers). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no free port");
  return address.port;
}

export interface TestStack {
  readonly edge: EdgeProxy;
  /** The edge's SIP address, where the test UAs send. */
  readonly sip: Destination;
  readonly prefix: string;
  addSubscriber(username: string, password: string, domain?: string): Promise<void>;
  addAlias(alias: string, target: string, domain?: string): Promise<void>;
  /** A UA for `user` of the test domain, closed with the stack. */
  ua(user: string, password?: string): Promise<TestUa>;
  /** Stops the auth instance (the edge then finds no responders). */
  stopAuth(): Promise<void>;
  /** Starts a new auth instance on the same database and subjects. */
  startAuth(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestStack(
  services: StackServices,
  edgeEnv: Environment = {},
): Promise<TestStack> {
  const unique = `sbtest_edge_${process.pid}_${randomBytes(4).toString("hex")}`;
  const authUrl = `${MYSQL_SERVER}/${unique}_auth`;
  const locationUrl = `${MYSQL_SERVER}/${unique}_loc`;
  const common = async (mysqlUrl: string): Promise<Environment> => ({
    LOG_LEVEL: "silent",
    NATS_URL,
    NATS_SUBJECT_PREFIX: unique,
    HTTP_HOST: "127.0.0.1",
    HTTP_PORT: String(await freePort()),
    MYSQL_URL: mysqlUrl,
    ADMIN_TOKEN,
  });
  const startAuth = async () => services.startAuth(await common(authUrl));
  let auth: InProcessService | undefined = await startAuth();
  const location = await services.startLocation(await common(locationUrl));
  const { config } = loadEdgeConfig({
    LOG_LEVEL: "silent",
    NATS_URL,
    NATS_SUBJECT_PREFIX: unique,
    SIP_LISTEN_HOST: "127.0.0.1",
    SIP_DOMAINS: TEST_DOMAIN,
    // A test that failed half-way leaves transactions behind: do not wait for them.
    SHUTDOWN_GRACE_S: "0",
    ...edgeEnv,
  });
  const edge = await startEdgeProxy(
    { ...config, SIP_PORT: 0 as number, HTTP_HOST: "127.0.0.1", HTTP_PORT: 0 as number },
    { logger: createLogger({ service: "edge-test", level: "silent" }) },
  );
  const uas: TestUa[] = [];

  const admin = async (service: InProcessService, url: string, payload: object) => {
    const response = await service.app.inject({
      method: "POST",
      url,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload,
    });
    if (response.statusCode !== 201) {
      throw new Error(`POST ${url} answered ${response.statusCode}: ${response.body}`);
    }
  };

  return {
    edge,
    sip: edge.sipAddress,
    prefix: unique,
    async addSubscriber(username, password, domain = TEST_DOMAIN) {
      if (auth === undefined) throw new Error("auth is stopped");
      await admin(auth, "/v1/subscribers", { username, domain, password });
    },
    async addAlias(alias, target, domain = TEST_DOMAIN) {
      await admin(location, "/v1/aliases", {
        alias: { username: alias, domain },
        target: { username: target, domain },
      });
    },
    async ua(user, password) {
      const ua = await TestUa.open({ proxy: edge.sipAddress, user, domain: TEST_DOMAIN, password });
      uas.push(ua);
      return ua;
    },
    async stopAuth() {
      await auth?.stop();
      auth = undefined;
    },
    async startAuth() {
      auth = await startAuth();
    },
    async close() {
      for (const ua of uas) ua.close();
      await edge.stop().catch(() => {});
      await location.stop().catch(() => {});
      await auth?.stop().catch(() => {});
      await dropDatabase(authUrl);
      await dropDatabase(locationUrl);
    },
  };
}
