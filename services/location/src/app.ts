// The location service's HTTP side: kit's /metrics, /healthz and /readyz, plus the admin API
// on registered contacts and aliases (bearer token, JSON in and out, schema-validated).

import {
  type AdminErrorReply,
  buildServiceAdminApp,
  type Clock,
  isUnavailableError,
  type Logger,
  type ReadinessCheck,
  type Registry,
} from "@switchboard/kit";
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import type { AliasDirectory } from "./alias-directory.js";
import { AliasExistsError } from "./alias-repository.js";
import { type AorName, canonicalAor, remainingSeconds, type StoredBinding } from "./binding.js";
import type { LocationStore } from "./location-store.js";

export interface AdminAppDeps {
  readonly store: LocationStore;
  readonly aliases: AliasDirectory;
  readonly clock: Clock;
  readonly adminToken: string;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly readinessChecks?: readonly ReadinessCheck[];
}

// Usernames: 1..64 printable characters, no whitespace or control characters; SQL
// metacharacters are plain data. JSON Schema patterns are compiled with the "u" flag.
const USERNAME = { type: "string", minLength: 1, maxLength: 64, pattern: "^[^\\s\\p{Cc}]+$" };
// RFC 3261 §25.1 hostname (IPv4 addresses match it too) or an IPv6reference.
const DOMAIN = {
  type: "string",
  minLength: 1,
  maxLength: 253,
  pattern:
    "^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\\.?|\\[[0-9A-Fa-f:.]+\\])$",
};
const AOR = {
  type: "object",
  required: ["username", "domain"],
  additionalProperties: false,
  properties: { username: USERNAME, domain: DOMAIN },
} as const;
const AOR_PARAMS = {
  type: "object",
  required: ["domain", "username"],
  properties: { domain: DOMAIN, username: USERNAME },
} as const;
const ALIAS_BODY = {
  type: "object",
  required: ["alias", "target"],
  additionalProperties: false,
  properties: { alias: AOR, target: AOR },
} as const;

function contactView(binding: StoredBinding, now: number) {
  return {
    uri: binding.contact,
    expires: remainingSeconds(binding, now),
    q: binding.q,
    received: binding.received,
    path: binding.path,
    userAgent: binding.userAgent,
    callId: binding.callId,
    cseq: binding.cseq,
    instance: binding.instance,
    regId: binding.regId,
  };
}

/** The replies for conflicts and unavailable storage; kit answers the others. */
function errorReply(error: FastifyError, request: FastifyRequest): AdminErrorReply | undefined {
  if (error instanceof AliasExistsError) return { status: 409, error: "alias exists" };
  if (isUnavailableError(error)) {
    request.log.warn({ err: error }, "location storage unavailable");
    return { status: 503, error: "location storage unavailable" };
  }
  return undefined;
}

function adminRoutes(deps: AdminAppDeps) {
  const { store, aliases, clock } = deps;
  return (scope: FastifyInstance) => {
    scope.get("/aors", async () => ({
      aors: (await store.summaries()).map(({ aor, contacts }) => ({ ...aor, contacts })),
    }));

    scope.get<{ Params: AorName }>(
      "/aors/:domain/:username",
      { schema: { params: AOR_PARAMS } },
      async (request, reply) => {
        const aor = canonicalAor(request.params);
        const bindings = await store.lookup(aor);
        if (bindings.length === 0) return reply.code(404).send({ error: "no such AOR" });
        const now = clock.now();
        return { ...aor, contacts: bindings.map((binding) => contactView(binding, now)) };
      },
    );

    scope.delete<{ Params: AorName }>(
      "/aors/:domain/:username",
      { schema: { params: AOR_PARAMS } },
      async (request, reply) => {
        const removed = await store.removeAor(request.params);
        if (!removed) return reply.code(404).send({ error: "no such AOR" });
        return reply.code(204).send();
      },
    );

    scope.post<{ Body: { alias: AorName; target: AorName } }>(
      "/aliases",
      { schema: { body: ALIAS_BODY } },
      async (request, reply) => {
        const alias = {
          alias: canonicalAor(request.body.alias),
          target: canonicalAor(request.body.target),
        };
        await aliases.create(alias);
        return reply.code(201).send(alias);
      },
    );

    scope.get("/aliases", async () => ({ aliases: await aliases.list() }));

    scope.delete<{ Params: AorName }>(
      "/aliases/:domain/:username",
      { schema: { params: AOR_PARAMS } },
      async (request, reply) => {
        const deleted = await aliases.delete(canonicalAor(request.params));
        if (!deleted) return reply.code(404).send({ error: "no such alias" });
        return reply.code(204).send();
      },
    );
  };
}

/** The HTTP app, not listening: tests call `inject()`, main calls `listen()`. */
export function buildAdminApp(deps: AdminAppDeps): FastifyInstance {
  return buildServiceAdminApp({ ...deps, routes: adminRoutes(deps), errorReply });
}
