// The edge proxy's Prometheus metrics. Every label has a small, bounded set of values:
// methods outside the known list count as "other", status codes are at most 600.

import { createCounter, createGauge, createHistogram, type Registry } from "@switchboard/kit";
import type { TransactionLayerStats } from "@switchboard/sip";

/** Methods counted under their own name (RFC 3261 and the common extensions). */
const KNOWN_METHODS = new Set([
  "INVITE",
  "ACK",
  "BYE",
  "CANCEL",
  "OPTIONS",
  "REGISTER",
  "PRACK",
  "SUBSCRIBE",
  "NOTIFY",
  "PUBLISH",
  "INFO",
  "REFER",
  "MESSAGE",
  "UPDATE",
]);

/** Why a call to auth or location failed, as counted. */
export type UpstreamErrorKind =
  | "timeout"
  | "no-responders"
  | "transport"
  | "unavailable"
  | "internal"
  | "invalid-reply"
  | "invalid-request";

/** Why a datagram was dropped without an answer. */
export type DropReason =
  | "keepalive"
  | "unparseable"
  | "unmatchable"
  | "stray-response"
  | "stray-ack"
  | "internal";

export interface EdgeMetrics {
  requestReceived(method: string): void;
  responseSent(status: number): void;
  parseError(): void;
  dropped(reason: DropReason): void;
  relayFinished(seconds: number): void;
  upstreamCall(subject: string, seconds: number, error: UpstreamErrorKind | undefined): void;
}

const RESPONSE_CLASSES = ["1xx", "2xx", "3xx", "4xx", "5xx", "6xx"];

/**
 * Registers the edge metrics in `registry`. `transactions` is read at every scrape for
 * the in-flight gauge and the retransmission counter.
 */
export function createEdgeMetrics(
  registry: Registry,
  transactions: () => TransactionLayerStats,
): EdgeMetrics {
  const requests = createCounter(registry, {
    name: "switchboard_edge_sip_requests_total",
    help: "SIP requests received, by method (other: methods outside the known list).",
    labelNames: ["method"],
  });
  const responses = createCounter(registry, {
    name: "switchboard_edge_sip_responses_total",
    help: "SIP responses sent by this proxy (its own and relayed ones), by class and code.",
    labelNames: ["class", "code"],
  });
  createGauge(registry, {
    name: "switchboard_edge_sip_transactions",
    help: "SIP transactions in flight, by kind.",
    labelNames: ["kind"],
    collect() {
      for (const [kind, count] of Object.entries(transactions().inFlight)) {
        this.set({ kind }, count);
      }
    },
  });
  const retransmissionsSeen = { sent: 0, absorbed: 0 };
  createCounter(registry, {
    name: "switchboard_edge_sip_retransmissions_total",
    help: "Retransmissions: sent by the transaction layer, or received and absorbed by it.",
    labelNames: ["direction"],
    collect() {
      const stats = transactions();
      const now = { sent: stats.retransmissionsSent, absorbed: stats.retransmissionsAbsorbed };
      for (const direction of ["sent", "absorbed"] as const) {
        this.inc({ direction }, now[direction] - retransmissionsSeen[direction]);
        retransmissionsSeen[direction] = now[direction];
      }
    },
  });
  const parseErrors = createCounter(registry, {
    name: "switchboard_edge_sip_parse_errors_total",
    help: "Datagrams that were not well-formed SIP messages.",
  });
  const drops = createCounter(registry, {
    name: "switchboard_edge_sip_dropped_total",
    help: "Messages dropped without an answer, by reason.",
    labelNames: ["reason"],
  });
  const relayDuration = createHistogram(registry, {
    name: "switchboard_edge_sip_relay_duration_seconds",
    help: "From a relayed request's arrival to its final response going out.",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 180],
  });
  const rpcDuration = createHistogram(registry, {
    name: "switchboard_edge_sip_upstream_rpc_duration_seconds",
    help: "Time of calls to auth and location, by subject.",
    labelNames: ["subject"],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  });
  const rpcErrors = createCounter(registry, {
    name: "switchboard_edge_sip_upstream_rpc_errors_total",
    help: "Calls to auth and location that failed, by subject and kind.",
    labelNames: ["subject", "kind"],
  });

  return {
    requestReceived(method) {
      requests.inc({ method: KNOWN_METHODS.has(method) ? method : "other" });
    },
    responseSent(status) {
      const responseClass = RESPONSE_CLASSES[Math.floor(status / 100) - 1] ?? "other";
      responses.inc({ class: responseClass, code: String(status) });
    },
    parseError: () => parseErrors.inc(),
    dropped: (reason) => drops.inc({ reason }),
    relayFinished: (seconds) => relayDuration.observe(seconds),
    upstreamCall(subject, seconds, error) {
      rpcDuration.observe({ subject }, seconds);
      if (error !== undefined) rpcErrors.inc({ subject, kind: error });
    },
  };
}
