// A service's HTTP app with its admin API: kit's /metrics and probes, plus the service's
// routes under /v1 behind a bearer token, every error answered as JSON `{ "error": "…" }`.

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { requireBearerToken } from "./bearer-auth.js";
import { buildServiceApp, type ServiceAppOptions } from "./http.js";

/** The status and `error` text of an admin API error reply. */
export interface AdminErrorReply {
  readonly status: number;
  readonly error: string;
}

export interface AdminAppOptions extends ServiceAppOptions {
  /** The bearer token every admin request must carry (RFC 6750). */
  readonly adminToken: string;
  /** Adds the admin routes to the `/v1` scope. */
  readonly routes: (scope: FastifyInstance) => void;
  /**
   * The reply for an error of the service's own (a conflict, its storage unavailable), or
   * undefined for the others. May log through `request.log`.
   */
  readonly errorReply?: (
    error: FastifyError,
    request: FastifyRequest,
  ) => AdminErrorReply | undefined;
}

function errorHandler(options: AdminAppOptions) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const known = options.errorReply?.(error, request);
    if (known !== undefined) return reply.code(known.status).send({ error: known.error });
    // Schema validation, malformed JSON, wrong content type, body too large.
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.code(status).send({ error: error.message });
    request.log.error({ err: error }, "admin request failed");
    return reply.code(500).send({ error: "internal error" });
  };
}

/**
 * {@link buildServiceApp} plus the admin API under `/v1`: requests without the bearer token
 * get 401; errors leave as `{ "error": "…" }` with a status that says whose fault it is: the
 * service's own through `errorReply`, a client error (validation, bad JSON, body too large)
 * with its status and message, anything else as 500 "internal error", logged.
 */
export function buildServiceAdminApp(options: AdminAppOptions): FastifyInstance {
  const app = buildServiceApp(options);
  app.register(
    async (scope) => {
      scope.addHook("onRequest", requireBearerToken(options.adminToken));
      scope.setErrorHandler(errorHandler(options));
      options.routes(scope);
    },
    { prefix: "/v1" },
  );
  return app;
}
