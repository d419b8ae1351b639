// The auth service's Prometheus metrics. No label carries a user, domain or nonce.

import type { AuthFailureReason } from "@switchboard/contracts";
import { createCounter, createGauge, createHistogram, type Registry } from "@switchboard/kit";
import type { CacheLookupResult } from "./ha1-lookup.js";

/**
 * The `result` label of verifications: "ok", the failure reason, or the error reply sent
 * when the handler failed. Requests refused as bad-request never reach the handler; kit's
 * switchboard_rpc_requests_total counts them.
 */
export type VerificationResult = "ok" | AuthFailureReason | "unavailable" | "internal";

export function createAuthMetrics(registry: Registry) {
  const challenges = createCounter(registry, {
    name: "switchboard_auth_challenges_total",
    help: "Digest challenges issued (one per auth.v1.challenge request).",
  });
  const verifications = createCounter<"result">(registry, {
    name: "switchboard_auth_verifications_total",
    help: "auth.v1.verify requests by result: ok, the failure reason, or the error reply code.",
    labelNames: ["result"],
  });
  const verifyDuration = createHistogram(registry, {
    name: "switchboard_auth_verify_duration_seconds",
    help: "Time to answer an auth.v1.verify request, from receipt to reply.",
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  });
  const cacheLookups = createCounter<"result">(registry, {
    name: "switchboard_auth_ha1_cache_lookups_total",
    help: "HA1 cache lookups by result (hit or miss).",
    labelNames: ["result"],
  });
  const subscribers = createGauge(registry, {
    name: "switchboard_auth_subscribers",
    help: "Subscribers in the subscriber table, as last counted.",
  });
  return {
    challengeIssued: (count: number) => challenges.inc(count),
    verified: (result: VerificationResult, seconds: number) => {
      verifications.inc({ result });
      verifyDuration.observe(seconds);
    },
    cacheLookup: (result: CacheLookupResult) => cacheLookups.inc({ result }),
    setSubscribers: (count: number) => subscribers.set(count),
  };
}

export type AuthMetrics = ReturnType<typeof createAuthMetrics>;
