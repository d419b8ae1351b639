// Prometheus metrics. Each service creates its own registry (never prom-client's
// global one), so that tests can build many services in one process.
//
// Naming conventions (https://prometheus.io/docs/practices/naming/), checked by the
// create* helpers below:
// - snake_case, prefixed with the system and service: `switchboard_auth_…`;
// - base units in the name: `_seconds`, `_bytes` (never milliseconds or kilobytes);
// - counters end in `_total`, other metrics never do;
// - no label whose values grow with the user base (user, AOR, URI, Call-ID, IP address):
//   every label value set must stay small and bounded.

import {
  Counter,
  type CounterConfiguration,
  collectDefaultMetrics,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  Registry,
} from "prom-client";

export { Counter, Gauge, Histogram, Registry };

/** Thrown when a metric definition breaks the naming conventions. */
export class MetricDefinitionError extends Error {
  override name = "MetricDefinitionError";
}

/** Label names that would create a time series per user, call or peer. */
const UNBOUNDED_LABELS = new Set([
  "user",
  "username",
  "aor",
  "uri",
  "contact",
  "call_id",
  "callid",
  "ip",
  "address",
  "source",
  "host",
]);

const NON_BASE_UNITS =
  /_(ms|msec|milliseconds|us|microseconds|ns|minutes|hours|kb|mb|kilobytes|megabytes)(_|$)/;

function checkDefinition(
  kind: "counter" | "gauge" | "histogram",
  name: string,
  labels: readonly string[],
) {
  const fail = (rule: string) => {
    throw new MetricDefinitionError(`metric ${name}: ${rule}`);
  };
  if (!/^switchboard_[a-z0-9_]+$/.test(name))
    fail("name must be snake_case starting with switchboard_");
  if (NON_BASE_UNITS.test(name)) fail("use base units in the name (_seconds, _bytes)");
  if (kind === "counter" && !name.endsWith("_total")) fail("a counter name must end in _total");
  if (kind !== "counter" && name.endsWith("_total")) fail("only counter names end in _total");
  for (const label of labels) {
    if (UNBOUNDED_LABELS.has(label))
      fail(`label ${label} has unbounded values (one series per user or peer)`);
  }
}

/**
 * A registry for one service: every series gets a `service` label, and the Node.js process
 * metrics (CPU, memory, event loop lag, GC) are collected into it unless disabled.
 */
export function createMetricsRegistry(options: {
  service: string;
  defaultMetrics?: boolean;
}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  return registry;
}

type Definition<C> = Omit<C, "registers">;

/** A counter registered in `registry`; the name must end in `_total`. */
export function createCounter<L extends string = string>(
  registry: Registry,
  definition: Definition<CounterConfiguration<L>>,
): Counter<L> {
  checkDefinition("counter", definition.name, definition.labelNames ?? []);
  return new Counter({ ...definition, registers: [registry] });
}

/** A gauge registered in `registry`. */
export function createGauge<L extends string = string>(
  registry: Registry,
  definition: Definition<GaugeConfiguration<L>>,
): Gauge<L> {
  checkDefinition("gauge", definition.name, definition.labelNames ?? []);
  return new Gauge({ ...definition, registers: [registry] });
}

/** A histogram registered in `registry`; durations are in seconds (`…_duration_seconds`). */
export function createHistogram<L extends string = string>(
  registry: Registry,
  definition: Definition<HistogramConfiguration<L>>,
): Histogram<L> {
  checkDefinition("histogram", definition.name, definition.labelNames ?? []);
  return new Histogram({ ...definition, registers: [registry] });
}
