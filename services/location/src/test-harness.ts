// Shared set-up of the location integration tests: a uniquely named database and NATS
// subject prefix per test file, a NATS client, and clean-up. Uses the real MariaDB/MySQL and
// NATS given by MYSQL_URL / NATS_URL (default: the local servers).

import { createServer } from "node:net";
import {
  type Aor,
  LocationLookupRequestSchema,
  type LocationLookupResponse,
  LocationLookupResponseSchema,
  type LocationSaveRequest,
  LocationSaveRequestSchema,
  type LocationSaveResponse,
  LocationSaveResponseSchema,
  ResolveAliasRequestSchema,
  ResolveAliasResponseSchema,
  subjects,
} from "@switchboard/contracts";
import {
  connectNats,
  createLogger,
  createMysqlPool,
  dropDatabase,
  type NatsConnection,
  type Pool,
  request,
} from "@switchboard/kit";
import { testDatabaseUrl, testNatsUrl, uniqueName } from "@switchboard/kit/testing";
import { type LocationConfig, loadLocationConfig } from "./config.js";

export const silentLogger = createLogger({ service: "location-test", level: "silent" });

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

export interface TestEnv {
  readonly database: string;
  readonly prefix: string;
  /** mysql:// URL of the test database on the real server. */
  readonly databaseUrl: string;
  /** A NATS client for sending requests. */
  readonly nc: NatsConnection;
  /** A pool on the test database, to check rows directly. */
  readonly pool: Pool;
  /** Configuration for a service instance on the test database, with `env` overrides. */
  config(env?: Record<string, string>): Promise<LocationConfig>;
  /** Environment variables for a service child process. */
  childEnv(env?: Record<string, string>): Promise<Record<string, string>>;
  cleanup(): Promise<void>;
}

export async function createTestEnv(label: string): Promise<TestEnv> {
  const database = uniqueName(`loc_${label}`);
  const prefix = database;
  const databaseUrl = testDatabaseUrl(database);
  const natsUrl = testNatsUrl();
  const nc = await connectNats({ servers: natsUrl, name: "location-test", logger: silentLogger });
  const pool = createMysqlPool(databaseUrl);
  const childEnv = async (env: Record<string, string> = {}) => ({
    MYSQL_URL: databaseUrl,
    NATS_URL: natsUrl,
    NATS_SUBJECT_PREFIX: prefix,
    HTTP_HOST: "127.0.0.1",
    HTTP_PORT: String(await freePort()),
    LOG_LEVEL: "warn",
    ...env,
  });
  return {
    database,
    prefix,
    databaseUrl,
    nc,
    pool,
    childEnv,
    config: async (env) => loadLocationConfig({ ...(await childEnv(env)), LOG_LEVEL: "silent" }),
    async cleanup() {
      await pool.end();
      await nc.drain();
      await dropDatabase(databaseUrl);
    },
  };
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A caller of the location subjects, as the edge proxy would be. */
export interface LocationClient {
  save(payload: LocationSaveRequest): Promise<LocationSaveResponse>;
  lookup(aor: Aor): Promise<LocationLookupResponse>;
  resolveAlias(alias: Aor): Promise<Aor | null>;
}

export function locationClient(
  nc: NatsConnection,
  prefix: string,
  timeoutMs = 5000,
): LocationClient {
  const names = subjects(prefix);
  const options = { timeoutMs };
  return {
    save: (payload) =>
      request(
        nc,
        names.locationSave,
        LocationSaveRequestSchema,
        LocationSaveResponseSchema,
        payload,
        options,
      ),
    lookup: (aor) =>
      request(
        nc,
        names.locationLookup,
        LocationLookupRequestSchema,
        LocationLookupResponseSchema,
        { aor },
        options,
      ),
    resolveAlias: async (alias) =>
      (
        await request(
          nc,
          names.locationResolveAlias,
          ResolveAliasRequestSchema,
          ResolveAliasResponseSchema,
          alias,
          options,
        )
      ).target,
  };
}

/** A REGISTER of one contact for `username@example.com`. */
export function registerOf(
  username: string,
  uri: string,
  extra: Partial<LocationSaveRequest> = {},
): LocationSaveRequest {
  return {
    aor: { username, domain: "example.com" },
    contacts: [{ uri }],
    callId: `call-${username}`,
    cseq: 1,
    ...extra,
  };
}
