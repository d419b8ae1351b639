import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  createCounter,
  createGauge,
  createHistogram,
  createMetricsRegistry,
  MetricDefinitionError,
} from "./metrics.js";

describe("metrics", () => {
  it("MUST give each service its own registry so that the same metric can exist twice", async () => {
    const a = createMetricsRegistry({ service: "auth", defaultMetrics: false });
    const b = createMetricsRegistry({ service: "location", defaultMetrics: false });
    const definition = { name: "switchboard_requests_total", help: "Requests." };
    createCounter(a, definition).inc();
    createCounter(b, definition).inc(2);
    assert.match(await a.metrics(), /^switchboard_requests_total\{service="auth"\} 1$/m);
    assert.match(await b.metrics(), /^switchboard_requests_total\{service="location"\} 2$/m);
  });

  it("MUST collect the process metrics only when asked", async () => {
    const withDefaults = createMetricsRegistry({ service: "auth" });
    const without = createMetricsRegistry({ service: "auth", defaultMetrics: false });
    assert.match(await withDefaults.metrics(), /^nodejs_eventloop_lag_seconds\{service="auth"\}/m);
    assert.equal((await without.metrics()).trim(), "");
  });

  it("MUST refuse names that break the conventions", () => {
    const registry = createMetricsRegistry({ service: "t", defaultMetrics: false });
    const refused = [
      () => createCounter(registry, { name: "switchboard_requests", help: "h" }),
      () => createGauge(registry, { name: "switchboard_bindings_total", help: "h" }),
      () => createHistogram(registry, { name: "switchboard_verify_duration_ms", help: "h" }),
      () => createGauge(registry, { name: "bindings", help: "h" }),
      () => createGauge(registry, { name: "switchboard_Bindings", help: "h" }),
    ];
    for (const define of refused) assert.throws(define, MetricDefinitionError);
    createHistogram(registry, { name: "switchboard_verify_duration_seconds", help: "h" });
  });

  it("MUST refuse labels with one value per user or peer", () => {
    const registry = createMetricsRegistry({ service: "t", defaultMetrics: false });
    for (const label of ["username", "aor", "call_id", "ip"]) {
      assert.throws(
        () =>
          createCounter(registry, {
            name: `switchboard_by_${label}_total`,
            help: "h",
            labelNames: [label],
          }),
        (error) =>
          error instanceof MetricDefinitionError && error.message.includes(`label ${label}`),
      );
    }
  });
});
