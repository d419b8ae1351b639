// The auth service on NATS: the auth.v1.challenge and auth.v1.verify responders
// (queue group "auth": instances share the requests) and the subscriber-changed
// listener (every instance hears every event and drops its cached HA1s).

import {
  AuthChallengeRequestSchema,
  AuthChallengeResponseSchema,
  AuthVerifyRequestSchema,
  AuthVerifyResponseSchema,
  type Subjects,
  SubscriberChangedEventSchema,
} from "@switchboard/contracts";
import {
  isUnavailableError,
  type Listener,
  type Logger,
  type NatsConnection,
  type RpcMetrics,
  serve,
  subscribeEvents,
} from "@switchboard/kit";
import type { Challenger } from "./challenger.js";
import type { CredentialVerifier } from "./credential-verifier.js";
import type { AuthMetrics } from "./metrics.js";

export const AUTH_QUEUE_GROUP = "auth";

export interface AuthNatsHandlersDeps {
  readonly nc: NatsConnection;
  readonly subjects: Subjects;
  readonly logger: Logger;
  readonly challenger: Challenger;
  readonly verifier: CredentialVerifier;
  readonly metrics: AuthMetrics;
  readonly rpcMetrics: RpcMetrics;
  /** Called for every subscriber-changed event, from this instance or another. */
  readonly onSubscriberChanged: (username: string, domain: string) => void;
}

export function startAuthNatsHandlers(deps: AuthNatsHandlersDeps): Listener[] {
  const { nc, subjects, logger, metrics } = deps;

  const challenge = serve(
    nc,
    subjects.authChallenge,
    AUTH_QUEUE_GROUP,
    AuthChallengeRequestSchema,
    AuthChallengeResponseSchema,
    (request) => {
      const response = deps.challenger.challenge(request);
      metrics.challengeIssued(request.count ?? 1);
      return response;
    },
    { logger, metrics: deps.rpcMetrics },
  );

  const verify = serve(
    nc,
    subjects.authVerify,
    AUTH_QUEUE_GROUP,
    AuthVerifyRequestSchema,
    AuthVerifyResponseSchema,
    async (request) => {
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      try {
        const body = request.body === undefined ? undefined : Buffer.from(request.body, "base64");
        const result = await deps.verifier.verify({ ...request, body });
        metrics.verified(result.ok ? "ok" : result.reason, seconds());
        return result;
      } catch (error) {
        metrics.verified(isUnavailableError(error) ? "unavailable" : "internal", seconds());
        throw error;
      }
    },
    { logger, metrics: deps.rpcMetrics },
  );

  const changes = subscribeEvents(
    nc,
    subjects.subscriberChanged,
    SubscriberChangedEventSchema,
    (event) => deps.onSubscriberChanged(event.username, event.domain),
    { logger },
  );

  return [challenge, verify, changes];
}
