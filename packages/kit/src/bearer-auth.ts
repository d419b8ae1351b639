// Bearer-token protection for admin routes (RFC 6750).

import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * An `onRequest` hook that answers 401 unless the request carries
 * `Authorization: Bearer <token>`. Register it on the admin routes' scope:
 *
 * ```ts
 * app.register(async (admin) => {
 *   admin.addHook("onRequest", requireBearerToken(config.ADMIN_TOKEN));
 *   admin.get("/users", listUsers);
 * }, { prefix: "/admin" });
 * ```
 *
 * Tokens are compared in constant time (SHA-256 digests of both, so the length of the
 * expected token does not leak either).
 */
export function requireBearerToken(token: string) {
  if (token.length === 0) throw new Error("the admin bearer token must not be empty");
  const expected = digest(token);
  return async function bearerTokenHook(request: FastifyRequest, reply: FastifyReply) {
    const presented = BEARER.exec(request.headers.authorization ?? "")?.[1];
    if (presented !== undefined && timingSafeEqual(digest(presented), expected)) return;
    // RFC 6750 §3: a request without credentials gets the bare challenge; a wrong token
    // gets error="invalid_token".
    const challenge =
      presented === undefined
        ? 'Bearer realm="switchboard"'
        : 'Bearer realm="switchboard", error="invalid_token"';
    return reply.code(401).header("www-authenticate", challenge).send({ error: "unauthorized" });
  };
}
