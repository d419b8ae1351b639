// The HTTP side of every service: Prometheus metrics and Kubernetes probes. The
// service adds its own routes (admin API) to the same instance.

import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Logger } from "./logger.js";
import type { Registry } from "./metrics.js";
import { withTimeout } from "./timeout.js";

/** One dependency `/readyz` checks; `check` rejects (or throws) when it is not usable. */
export interface ReadinessCheck {
  /** Short name shown in the `/readyz` body: `"mysql"`, `"nats"`. */
  readonly name: string;
  check(): Promise<void>;
}

export interface ServiceAppOptions {
  /** The service's registry, served on `/metrics`. */
  readonly registry: Registry;
  /** All must pass for `/readyz` to answer 200. */
  readonly readinessChecks?: readonly ReadinessCheck[];
  readonly logger: Logger;
  /** A check that takes longer fails; default 2000 ms, below the usual probe timeout. */
  readonly readinessTimeoutMs?: number;
}

/** The body of `/readyz`: each check's outcome, `"ok"` or `"failed: <reason>"`. */
export interface ReadinessReport {
  readonly status: "ready" | "not-ready";
  readonly checks: Readonly<Record<string, string>>;
}

async function runChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs: number,
): Promise<ReadinessReport> {
  const outcomes = await Promise.all(
    checks.map(async ({ name, check }) => {
      try {
        await withTimeout(check(), timeoutMs, `readiness check ${name}`);
        return [name, "ok"] as const;
      } catch (error) {
        return [name, `failed: ${error instanceof Error ? error.message : String(error)}`] as const;
      }
    }),
  );
  const ready = outcomes.every(([, outcome]) => outcome === "ok");
  return { status: ready ? "ready" : "not-ready", checks: Object.fromEntries(outcomes) };
}

/**
 * A fastify instance, not listening (tests call `app.inject()`; `main` calls `app.listen()`),
 * with:
 * - `GET /metrics`: the registry in the Prometheus text format;
 * - `GET /healthz`: 200 while the process runs (liveness);
 * - `GET /readyz`: 200 when every readiness check passes, else 503 naming the failed ones
 *   (readiness: the pod gets no traffic until its dependencies answer).
 *
 * Probe and metrics requests are logged only at warn level and above, to keep logs readable.
 */
export function buildServiceApp(options: ServiceAppOptions): FastifyInstance {
  const { registry, logger } = options;
  const checks = options.readinessChecks ?? [];
  const timeoutMs = options.readinessTimeoutMs ?? 2000;
  const app = Fastify({ loggerInstance: logger as FastifyBaseLogger });
  let wasReady: boolean | undefined;

  app.get("/metrics", { logLevel: "warn" }, async (_request, reply) => {
    reply.header("content-type", registry.contentType);
    return registry.metrics();
  });

  app.get("/healthz", { logLevel: "warn" }, async () => ({ status: "ok" }));

  app.get("/readyz", { logLevel: "warn" }, async (_request, reply) => {
    const report = await runChecks(checks, timeoutMs);
    const ready = report.status === "ready";
    if (ready !== wasReady) {
      if (ready) logger.info({ checks: report.checks }, "service is ready");
      else logger.warn({ checks: report.checks }, "service is not ready");
      wasReady = ready;
    }
    return reply.code(ready ? 200 : 503).send(report);
  });

  return app;
}
