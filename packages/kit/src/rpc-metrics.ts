// Metrics of NATS request/reply, on both sides.

import type { ErrorCode } from "@switchboard/contracts";
import { createCounter, createHistogram, type Registry } from "./metrics.js";

/** How a request ended for the requester. */
export type RpcClientOutcome =
  | "ok"
  | "timeout"
  | "no-responders"
  | "transport"
  | "remote-error"
  | "invalid-reply"
  | "invalid-request";

/** How a request ended for the responder: answered, or the error reply's code. */
export type RpcServerOutcome = "ok" | ErrorCode;

export interface RpcMetrics {
  recordClient(subject: string, outcome: RpcClientOutcome, durationSeconds: number): void;
  recordServer(subject: string, outcome: RpcServerOutcome, durationSeconds: number): void;
}

/**
 * `switchboard_rpc_requests_total{role,subject,outcome}` and
 * `switchboard_rpc_duration_seconds{role,subject}` (role: `client` or `server`), registered in
 * `registry`. Pass the result to `request()` and `serve()`.
 */
export function createRpcMetrics(registry: Registry): RpcMetrics {
  const requests = createCounter(registry, {
    name: "switchboard_rpc_requests_total",
    help: "NATS requests sent (role=client) or handled (role=server), by outcome.",
    labelNames: ["role", "subject", "outcome"],
  });
  const duration = createHistogram(registry, {
    name: "switchboard_rpc_duration_seconds",
    help: "Time from sending a NATS request to its reply (client), or handling it (server).",
    labelNames: ["role", "subject"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  });
  const record = (role: string, subject: string, outcome: string, seconds: number) => {
    requests.inc({ role, subject, outcome });
    duration.observe({ role, subject }, seconds);
  };
  return {
    recordClient: (subject, outcome, seconds) => record("client", subject, outcome, seconds),
    recordServer: (subject, outcome, seconds) => record("server", subject, outcome, seconds),
  };
}
