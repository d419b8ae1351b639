// The auth service's HTTP side: kit's /metrics, /healthz and /readyz, plus the
// admin API on subscribers (bearer token, JSON in and out, schema-validated).
// Passwords are accepted, never returned, and never logged (kit's logger redacts).

import {
  type AdminErrorReply,
  buildServiceAdminApp,
  type Logger,
  type ReadinessCheck,
  type Registry,
} from "@switchboard/kit";
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import type { SubscriberAdmin } from "./subscriber-admin.js";
import {
  SubscriberExistsError,
  type SubscriberRecord,
  SubscriberStoreUnavailableError,
} from "./subscriber-repository.js";

export interface AdminAppDeps {
  readonly admin: SubscriberAdmin;
  readonly adminToken: string;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly readinessChecks?: readonly ReadinessCheck[];
}

// Usernames: 1..64 characters without control characters or line breaks, as the
// contracts' UsernameSchema accepts; SQL metacharacters are plain data. JSON Schema
// patterns are compiled with the "u" flag.
const USERNAME = {
  type: "string",
  minLength: 1,
  maxLength: 64,
  pattern: "^[^\\p{Cc}\\p{Zl}\\p{Zp}]+$",
};
// RFC 3261 §25.1 hostname, or an IPv4address (which the hostname rule also matches),
// or an IPv6reference. 190 characters is what the domain column holds.
const DOMAIN = {
  type: "string",
  minLength: 1,
  maxLength: 190,
  pattern:
    "^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\\.?|\\[[0-9A-Fa-f:.]+\\])$",
};
const PASSWORD = { type: "string", minLength: 1, maxLength: 64, pattern: "^[^\\p{Cc}]+$" };
const EMAIL = { type: "string", maxLength: 128, pattern: "^[^\\s\\p{Cc}]*$" };

const AOR_PARAMS = {
  type: "object",
  required: ["domain", "username"],
  properties: { domain: DOMAIN, username: USERNAME },
} as const;

const CREATE_BODY = {
  type: "object",
  required: ["username", "domain", "password"],
  additionalProperties: false,
  properties: { username: USERNAME, domain: DOMAIN, password: PASSWORD, email: EMAIL },
} as const;

const PASSWORD_BODY = {
  type: "object",
  required: ["password"],
  additionalProperties: false,
  properties: { password: PASSWORD },
} as const;

const LIST_QUERY = {
  type: "object",
  additionalProperties: false,
  properties: { domain: DOMAIN },
} as const;

interface AorParams {
  domain: string;
  username: string;
}

function view(record: SubscriberRecord) {
  return {
    username: record.username,
    domain: record.domain,
    email: record.email,
    createdAt: record.createdAt.toISOString(),
  };
}

/** The replies for the subscriber store's errors; kit answers the others. */
function errorReply(error: FastifyError, request: FastifyRequest): AdminErrorReply | undefined {
  if (error instanceof SubscriberExistsError) return { status: 409, error: "subscriber exists" };
  if (error instanceof SubscriberStoreUnavailableError) {
    request.log.warn({ err: error.cause }, "subscriber store unavailable");
    return { status: 503, error: "subscriber store unavailable" };
  }
  return undefined;
}

function adminRoutes(deps: AdminAppDeps) {
  const { admin } = deps;
  return (scope: FastifyInstance) => {
    scope.post<{ Body: { username: string; domain: string; password: string; email?: string } }>(
      "/subscribers",
      { schema: { body: CREATE_BODY } },
      async (request, reply) => reply.code(201).send(await admin.create(request.body)),
    );

    scope.get<{ Querystring: { domain?: string } }>(
      "/subscribers",
      { schema: { querystring: LIST_QUERY } },
      async (request) => ({
        subscribers: (await admin.list(request.query.domain)).map(view),
      }),
    );

    scope.get<{ Params: AorParams }>(
      "/subscribers/:domain/:username",
      { schema: { params: AOR_PARAMS } },
      async (request, reply) => {
        const record = await admin.show(request.params.username, request.params.domain);
        if (record === undefined) return reply.code(404).send({ error: "no such subscriber" });
        return view(record);
      },
    );

    scope.delete<{ Params: AorParams }>(
      "/subscribers/:domain/:username",
      { schema: { params: AOR_PARAMS } },
      async (request, reply) => {
        const deleted = await admin.delete(request.params.username, request.params.domain);
        if (!deleted) return reply.code(404).send({ error: "no such subscriber" });
        return reply.code(204).send();
      },
    );

    scope.put<{ Params: AorParams; Body: { password: string } }>(
      "/subscribers/:domain/:username/password",
      { schema: { params: AOR_PARAMS, body: PASSWORD_BODY } },
      async (request, reply) => {
        const { username, domain } = request.params;
        const changed = await admin.changePassword(username, domain, request.body.password);
        if (!changed) return reply.code(404).send({ error: "no such subscriber" });
        return reply.code(204).send();
      },
    );
  };
}

/** The HTTP app, not listening: tests call `inject()`, main calls `listen()`. */
export function buildAdminApp(deps: AdminAppDeps): FastifyInstance {
  return buildServiceAdminApp({ ...deps, routes: adminRoutes(deps), errorReply });
}
