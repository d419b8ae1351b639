// The edge proxy's HTTP side: kit's /metrics, /healthz and /readyz. The edge has no
// admin API; its readiness is NATS connected and the SIP socket taking requests.

import { buildServiceApp, type Logger, type ReadinessCheck, type Registry } from "@switchboard/kit";

export interface EdgeAppDeps {
  readonly registry: Registry;
  readonly logger: Logger;
  readonly readinessChecks: readonly ReadinessCheck[];
}

/** The fastify instance, not listening (tests use inject). */
export function buildEdgeApp(deps: EdgeAppDeps): ReturnType<typeof buildServiceApp> {
  return buildServiceApp(deps);
}

/** Readiness of the SIP side: the socket is bound and the proxy is not shutting down. */
export function sipReadinessCheck(state: () => "serving" | "draining" | "closed"): ReadinessCheck {
  return {
    name: "sip",
    async check() {
      const current = state();
      if (current !== "serving") throw new Error(`SIP socket ${current}`);
    },
  };
}
