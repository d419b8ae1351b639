// An auth service started in-process for integration tests and benchmarks, against
// the real MySQL and NATS, with its own database and subject prefix, and the client
// side a caller (the edge proxy) would use.

import {
  type AuthChallengeRequest,
  AuthChallengeRequestSchema,
  AuthChallengeResponseSchema,
  type AuthVerifyRequest,
  AuthVerifyRequestSchema,
  type AuthVerifyResponse,
  AuthVerifyResponseSchema,
} from "@switchboard/contracts";
import {
  type Clock,
  connectNats,
  createLogger,
  databaseUrl,
  dropDatabase,
  type NatsConnection,
  request,
} from "@switchboard/kit";
import { testMysqlServerUrl, testNatsUrl, uniqueName } from "@switchboard/kit/testing";
import {
  buildDigestAuthorization,
  type DigestClientInput,
  parseDigestChallenge,
} from "@switchboard/sip";
import { type AuthConfig, loadAuthConfig } from "./config.js";
import { type AuthService, startAuthService } from "./service.js";

export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789";
const RPC_TIMEOUT_MS = 2000;

/** The configuration of a test instance: silent, on a free port, own database and prefix. */
export function testConfig(overrides: Partial<AuthConfig> = {}): AuthConfig {
  const name = uniqueName("auth");
  return {
    ...loadAuthConfig({}).config,
    LOG_LEVEL: "silent",
    HTTP_HOST: "127.0.0.1",
    HTTP_PORT: 0,
    MYSQL_URL: testMysqlServerUrl(),
    MYSQL_DATABASE: name,
    NATS_URL: [testNatsUrl()],
    NATS_SUBJECT_PREFIX: name,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    NONCE_SECRET: "test-nonce-secret-0123456789abcdef",
    ...overrides,
  };
}

export interface AuthTestEnv {
  readonly service: AuthService;
  readonly config: AuthConfig;
  /** A separate connection, as a caller of the service has. */
  readonly client: NatsConnection;
  challenge(request: Partial<AuthChallengeRequest> & { realm: string }): Promise<string[]>;
  verify(request: AuthVerifyRequest): Promise<AuthVerifyResponse>;
  /** Calls the admin API with the bearer token. */
  admin(
    method: "GET" | "POST" | "PUT" | "DELETE",
    url: string,
    body?: unknown,
  ): Promise<{ statusCode: number; json: () => unknown }>;
  /** Creates a subscriber through the admin API. */
  addSubscriber(username: string, domain: string, password: string): Promise<void>;
  /** Asks for a challenge and answers it as a UA would. */
  credentials(
    realm: string,
    input: DigestClientInput,
    offer?: Partial<AuthChallengeRequest>,
  ): Promise<string>;
  /** Stops the service, closes the client and drops the database. */
  close(): Promise<void>;
}

export async function startAuthTestEnv(
  overrides: Partial<AuthConfig> = {},
  options: { clock?: Clock } = {},
): Promise<AuthTestEnv> {
  const config = testConfig(overrides);
  const logger = createLogger({ service: "auth-test", level: "silent" });
  const service = await startAuthService(config, { logger, ...options });
  const client = await connectNats({ servers: config.NATS_URL, name: "auth-test", logger });
  const { subjects } = service;

  const challenge: AuthTestEnv["challenge"] = async (req) => {
    const response = await request(
      client,
      subjects.authChallenge,
      AuthChallengeRequestSchema,
      AuthChallengeResponseSchema,
      { qop: "auth", proxy: false, ...req },
      { timeoutMs: RPC_TIMEOUT_MS },
    );
    return response.headers;
  };
  const admin: AuthTestEnv["admin"] = (method, url, body) =>
    service.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      ...(body === undefined ? {} : { payload: body as object }),
    });

  return {
    service,
    config,
    client,
    challenge,
    verify: (req) =>
      request(client, subjects.authVerify, AuthVerifyRequestSchema, AuthVerifyResponseSchema, req, {
        timeoutMs: RPC_TIMEOUT_MS,
      }),
    admin,
    async addSubscriber(username, domain, password) {
      const response = await admin("POST", "/v1/subscribers", { username, domain, password });
      if (response.statusCode !== 201) {
        throw new Error(`creating ${username}@${domain} answered ${response.statusCode}`);
      }
    },
    async credentials(realm, input, offer = {}) {
      const [header] = await challenge({ realm, ...offer });
      if (header === undefined) throw new Error("no challenge");
      return buildDigestAuthorization(parseDigestChallenge(header), input);
    },
    async close() {
      await service.stop();
      await client.close();
      await dropDatabase(databaseUrl(config));
    },
  };
}
