// Building blocks of the unit tests: requests from text, this proxy's identity, an
// Upstream whose answers a test sets (the integration tests use the real services),
// and metrics that count into plain objects.

import type {
  Aor,
  AuthChallengeRequest,
  AuthVerifyRequest,
  AuthVerifyResponse,
  LocationSaveRequest,
  LocationSaveResponse,
  LookupContact,
} from "@switchboard/contracts";
import { createLogger } from "@switchboard/kit";
import { parseMessage, type SipRequest, type SipResponse } from "@switchboard/sip";
import { LocalIdentity } from "../local-identity.js";
import type { DropReason, EdgeMetrics } from "../metrics.js";
import { type Reply, RequestContext, type RouteDeps } from "../route/context.js";
import type { Upstream } from "../upstream.js";

/** ROUTE_SECRET of the unit tests' proxy. */
export const TEST_ROUTE_SECRET = "unit-test-route-secret";

/** The proxy of the unit tests: 192.0.2.1:5060, domains example.com and example.net. */
export function testIdentity(): LocalIdentity {
  return new LocalIdentity({
    listenHost: "0.0.0.0",
    listenPort: 5060,
    advertisedHost: "192.0.2.1",
    advertisedPort: 5060,
    domains: ["example.com", "example.net"],
    fullLr: false,
    routeSecret: TEST_ROUTE_SECRET,
  });
}

/** Call-ID of the requests sipRequest makes unless a test sets another. */
export const TEST_CALL_ID = "call-1@198.51.100.7";

/** The Record-Route the unit tests' proxy writes for the dialog `callId`, as a Route value. */
export function signedRoute(callId: string = TEST_CALL_ID): string {
  return testIdentity().recordRoute(callId);
}

/** A message from header lines (CRLFs and Content-Length added). */
export function sipMessage(
  startLine: string,
  headers: readonly string[],
  body = "",
): SipRequest | SipResponse {
  const text = [
    startLine,
    ...headers,
    `Content-Length: ${Buffer.byteLength(body, "latin1")}`,
    "",
    body,
  ].join("\r\n");
  return parseMessage(Buffer.from(text, "latin1"));
}

/** A request with the usual fields; `headers` add to or replace the defaults by name. */
export function sipRequest(
  method: string,
  uri: string,
  headers: readonly string[] = [],
  body = "",
): SipRequest {
  const defaults = [
    "Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKcaller1",
    "Max-Forwards: 70",
    "From: <sip:alice@example.com>;tag=from1",
    "To: <sip:bob@example.com>",
    `Call-ID: ${TEST_CALL_ID}`,
    `CSeq: 1 ${method}`,
  ];
  const named = (line: string) => line.slice(0, line.indexOf(":")).toLowerCase();
  const overridden = new Set(headers.map(named));
  const lines = [...defaults.filter((line) => !overridden.has(named(line))), ...headers];
  return sipMessage(`${method} ${uri} SIP/2.0`, lines, body) as SipRequest;
}

/** An Upstream answering from functions a test sets, recording every call. */
export class FakeUpstream implements Upstream {
  readonly calls: { method: keyof Upstream; request: unknown }[] = [];
  challengeAnswer: (request: AuthChallengeRequest) => readonly string[] = (request) => [
    `Digest realm="${request.realm}", nonce="n1", algorithm=MD5, qop="auth"`,
  ];
  verifyAnswer: (request: AuthVerifyRequest) => AuthVerifyResponse = () => ({
    ok: false,
    reason: "bad-password",
  });
  saveAnswer: (request: LocationSaveRequest) => LocationSaveResponse = () => ({
    ok: true,
    bindings: [],
  });
  lookupAnswer: (aor: Aor) => readonly LookupContact[] = () => [];
  aliasAnswer: (aor: Aor) => Aor | null = () => null;

  async challenge(request: AuthChallengeRequest) {
    this.calls.push({ method: "challenge", request });
    return this.challengeAnswer(request);
  }
  async verify(request: AuthVerifyRequest) {
    this.calls.push({ method: "verify", request });
    return this.verifyAnswer(request);
  }
  async save(request: LocationSaveRequest) {
    this.calls.push({ method: "save", request });
    return this.saveAnswer(request);
  }
  async lookup(aor: Aor) {
    this.calls.push({ method: "lookup", request: aor });
    return this.lookupAnswer(aor);
  }
  async resolveAlias(aor: Aor) {
    this.calls.push({ method: "resolveAlias", request: aor });
    return this.aliasAnswer(aor);
  }
}

export function testRouteDeps(upstream: Upstream = new FakeUpstream()): RouteDeps {
  return {
    identity: testIdentity(),
    upstream,
    maxForwardsLimit: 10,
    maxMessageBytes: 4096,
    qop: "auth",
    logger: createLogger({ service: "edge-proxy-test", level: "silent" }),
  };
}

/** A context for `request` from 198.51.100.7:5060; provisional replies are collected. */
export function testContext(request: SipRequest, provisional: Reply[] = []): RequestContext {
  return new RequestContext({
    request,
    size: request.toBuffer().length,
    source: { transport: "UDP", host: "198.51.100.7", port: 5060 },
    sendProvisional: (reply) => provisional.push(reply),
  });
}

/** EdgeMetrics counting into plain fields. */
export class RecordingMetrics implements EdgeMetrics {
  readonly requests: string[] = [];
  readonly responses: number[] = [];
  readonly drops: DropReason[] = [];
  parseErrors = 0;
  requestReceived(method: string): void {
    this.requests.push(method);
  }
  responseSent(status: number): void {
    this.responses.push(status);
  }
  parseError(): void {
    this.parseErrors++;
  }
  dropped(reason: DropReason): void {
    this.drops.push(reason);
  }
  relayFinished(): void {}
  upstreamCall(): void {}
}
