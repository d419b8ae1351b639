// The location service's Prometheus metrics.

import { createCounter, createGauge, createHistogram, type Registry } from "@switchboard/kit";
import type { LocationStore } from "./location-store.js";
import type { FlushObserver } from "./persistence.js";
import type { RegisterRefusal } from "./registrar.js";

/** How a save ended: stored, refused by a registrar rule, or MySQL failed. */
export type SaveMetricResult = "ok" | RegisterRefusal["reason"] | "unavailable";

export interface LocationMetrics {
  readonly flushObserver: FlushObserver;
  save(result: SaveMetricResult): void;
  lookup(found: boolean): void;
  expired(count: number): void;
  /** Reads the contact, AOR and flush-lag gauges from `store` at each scrape. */
  watch(store: LocationStore): void;
}

export function createLocationMetrics(registry: Registry): LocationMetrics {
  let store: LocationStore | undefined;
  // A scrape while MySQL is down (db-only) keeps the last values rather than failing.
  const counts = async () => store?.counts().catch(() => undefined);
  createGauge(registry, {
    name: "switchboard_location_contacts",
    help: "Bindings (registered contacts) held, expired ones not yet swept included.",
    async collect() {
      const current = await counts();
      if (current !== undefined) this.set(current.contacts);
    },
  });
  createGauge(registry, {
    name: "switchboard_location_aors",
    help: "Addresses-of-record with at least one binding.",
    async collect() {
      const current = await counts();
      if (current !== undefined) this.set(current.aors);
    },
  });
  createGauge(registry, {
    name: "switchboard_location_flush_lag_seconds",
    help: "Age of the oldest binding change not yet committed to MySQL.",
    collect() {
      if (store !== undefined) this.set(store.lagSeconds());
    },
  });
  const saves = createCounter(registry, {
    name: "switchboard_location_saves_total",
    help: "location.v1.save requests by result: ok, a refusal reason, unavailable, bad-request.",
    labelNames: ["result"],
  });
  const lookups = createCounter(registry, {
    name: "switchboard_location_lookups_total",
    help: "location.v1.lookup requests by result.",
    labelNames: ["result"],
  });
  const expired = createCounter(registry, {
    name: "switchboard_location_expired_total",
    help: "Bindings removed by the expiry sweeper.",
  });
  const flushDuration = createHistogram(registry, {
    name: "switchboard_location_flush_duration_seconds",
    help: "Time to commit one batch of binding changes to MySQL.",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });
  const flushErrors = createCounter(registry, {
    name: "switchboard_location_flush_errors_total",
    help: "Batches of binding changes MySQL did not take (retried or answered unavailable).",
  });
  return {
    flushObserver: {
      flushed: (seconds) => flushDuration.observe(seconds),
      flushFailed: () => flushErrors.inc(),
    },
    save: (result) => saves.inc({ result }),
    lookup: (found) => lookups.inc({ result: found ? "found" : "not_found" }),
    expired: (count) => expired.inc(count),
    watch: (watched) => {
      store = watched;
    },
  };
}
