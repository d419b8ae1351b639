// The edge's clients of auth and location: one typed call per NATS subject, bounded by
// RPC_TIMEOUT_MS, with every failure turned into an UpstreamError whose kind says
// whether the answer is 503 (the dependency is away: try later) or 500 (a bug).

import {
  type Aor,
  type AuthChallengeRequest,
  AuthChallengeRequestSchema,
  AuthChallengeResponseSchema,
  type AuthVerifyRequest,
  AuthVerifyRequestSchema,
  type AuthVerifyResponse,
  AuthVerifyResponseSchema,
  LocationLookupRequestSchema,
  LocationLookupResponseSchema,
  type LocationSaveRequest,
  LocationSaveRequestSchema,
  type LocationSaveResponse,
  LocationSaveResponseSchema,
  type LookupContact,
  MAX_CHALLENGES_PER_REQUEST,
  ResolveAliasRequestSchema,
  ResolveAliasResponseSchema,
  SUBJECT_NAMES,
  type SubjectKey,
  type Subjects,
} from "@switchboard/contracts";
import {
  type NatsConnection,
  RpcInvalidReplyError,
  RpcInvalidRequestError,
  RpcNoRespondersError,
  RpcRemoteError,
  RpcTimeoutError,
  RpcTransportError,
  request,
} from "@switchboard/kit";
import { ChallengePool } from "./challenge-pool.js";
import type { EdgeMetrics, UpstreamErrorKind } from "./metrics.js";

/**
 * Challenges asked of auth at a time, kept in hand for the next 401s and 407s: the most
 * auth gives at once. The pool refills when half are left, which at 2,500 challenges per
 * second leaves ~13 ms for the refill to arrive before a challenge has to wait for it.
 */
const CHALLENGE_BATCH = MAX_CHALLENGES_PER_REQUEST;
/** A kept challenge older than this is not used: clients get nonces at most this old. */
const CHALLENGE_MAX_AGE_MS = 5000;

/** What the route script asks of auth and location. */
export interface Upstream {
  /**
   * auth.v1.challenge: the WWW-/Proxy-Authenticate values, one per algorithm (over NATS,
   * taken from a batch kept in hand: see ChallengePool).
   */
  challenge(request: AuthChallengeRequest): Promise<readonly string[]>;
  /** auth.v1.verify. */
  verify(request: AuthVerifyRequest): Promise<AuthVerifyResponse>;
  /** location.v1.save. */
  save(request: LocationSaveRequest): Promise<LocationSaveResponse>;
  /** location.v1.lookup: the AOR's contacts, highest q first. */
  lookup(aor: Aor): Promise<readonly LookupContact[]>;
  /** location.v1.resolve-alias: the AOR an alias stands for, or null. */
  resolveAlias(aor: Aor): Promise<Aor | null>;
}

/** Kinds after which a later try may succeed: the answer is 503 with Retry-After. */
const UNAVAILABLE_KINDS: ReadonlySet<UpstreamErrorKind> = new Set([
  "timeout",
  "no-responders",
  "transport",
  "unavailable",
]);

/** A call to auth or location failed. */
export class UpstreamError extends Error {
  override readonly name = "UpstreamError";
  constructor(
    /** The subject without prefix, e.g. "auth.v1.verify". */
    readonly subject: string,
    readonly kind: UpstreamErrorKind,
    options: { cause: unknown },
  ) {
    super(`${subject} failed: ${kind}`, options);
  }

  /** True when the dependency is away rather than broken (answer 503, not 500). */
  get unavailable(): boolean {
    return UNAVAILABLE_KINDS.has(this.kind);
  }
}

function errorKind(error: unknown): UpstreamErrorKind {
  if (error instanceof RpcTimeoutError) return "timeout";
  if (error instanceof RpcNoRespondersError) return "no-responders";
  if (error instanceof RpcTransportError) return "transport";
  if (error instanceof RpcRemoteError)
    return error.code === "unavailable" ? "unavailable" : "internal";
  if (error instanceof RpcInvalidReplyError) return "invalid-reply";
  // A value from the message broke the contract (e.g. a 300-character Call-ID): bad input.
  if (error instanceof RpcInvalidRequestError) return "invalid-request";
  return "internal";
}

export interface NatsUpstreamOptions {
  readonly nc: NatsConnection;
  readonly subjects: Subjects;
  readonly timeoutMs: number;
  readonly metrics: EdgeMetrics;
}

/** The Upstream over NATS request/reply (kit's request: validated both ways). */
export function natsUpstream(options: NatsUpstreamOptions): Upstream {
  const { nc, subjects, timeoutMs, metrics } = options;

  async function call<T>(key: SubjectKey, send: (subject: string) => Promise<T>): Promise<T> {
    const label = SUBJECT_NAMES[key];
    const started = performance.now();
    try {
      const reply = await send(subjects[key]);
      metrics.upstreamCall(label, (performance.now() - started) / 1000, undefined);
      return reply;
    } catch (error) {
      const kind = errorKind(error);
      metrics.upstreamCall(label, (performance.now() - started) / 1000, kind);
      throw new UpstreamError(label, kind, { cause: error });
    }
  }

  const rpc = { timeoutMs };
  const challenges = new ChallengePool({
    fetch: async (payload) => {
      const reply = await call("authChallenge", (subject) =>
        request(nc, subject, AuthChallengeRequestSchema, AuthChallengeResponseSchema, payload, rpc),
      );
      return [reply.headers, ...(reply.more ?? [])];
    },
    batch: CHALLENGE_BATCH,
    maxAgeMs: CHALLENGE_MAX_AGE_MS,
  });
  return {
    challenge: (payload) => challenges.take(payload),
    async verify(payload) {
      try {
        return await call("authVerify", (subject) =>
          request(nc, subject, AuthVerifyRequestSchema, AuthVerifyResponseSchema, payload, rpc),
        );
      } catch (error) {
        // auth is away: a challenge handed out now could not be verified either.
        if (error instanceof UpstreamError && error.unavailable) challenges.clear();
        throw error;
      }
    },
    save: (payload) =>
      call("locationSave", (subject) =>
        request(nc, subject, LocationSaveRequestSchema, LocationSaveResponseSchema, payload, rpc),
      ),
    async lookup(aor) {
      const reply = await call("locationLookup", (subject) =>
        request(
          nc,
          subject,
          LocationLookupRequestSchema,
          LocationLookupResponseSchema,
          { aor },
          rpc,
        ),
      );
      return reply.contacts;
    },
    async resolveAlias(aor) {
      const reply = await call("locationResolveAlias", (subject) =>
        request(nc, subject, ResolveAliasRequestSchema, ResolveAliasResponseSchema, aor, rpc),
      );
      return reply.target;
    },
  };
}
