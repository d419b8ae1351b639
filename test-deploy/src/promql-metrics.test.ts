import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  isExported,
  metricsOfExpression,
  parseExposition,
  parseSeriesLabels,
  selectorsOfExpression,
  unexportedMetrics,
  unknownMatcherLabels,
} from "./promql-metrics.js";

describe("metricsOfExpression", () => {
  it("finds the metrics of an expression, not its functions, labels or durations", () => {
    const expression =
      'histogram_quantile(0.99, sum by (le, subject) (rate(rpc_seconds_bucket{role="client"}[5m]))) > 0.5 and on (instance) up offset 1h';
    assert.deepEqual([...metricsOfExpression(expression)].sort(), ["rpc_seconds_bucket", "up"]);
  });

  it("ignores Grafana variables and string arguments", () => {
    const expression =
      'label_replace(rate(a_total[$__rate_interval]), "x", "$1", "instance", "(.*)")';
    assert.deepEqual([...metricsOfExpression(expression)], ["a_total"]);
  });

  it("reads both sides of a ratio", () => {
    const expression =
      'sum(rate(responses_total{class="5xx"}[5m])) / clamp_min(sum(rate(responses_total[5m])), 1)';
    assert.deepEqual([...metricsOfExpression(expression)], ["responses_total"]);
  });
});

describe("isExported", () => {
  const catalog = parseExposition(
    [
      "# HELP a_total A.",
      "# TYPE a_total counter",
      "# TYPE lag_seconds gauge",
      "# TYPE d_seconds histogram",
      'd_seconds_bucket{le="1"} 0',
    ].join("\n"),
  );

  it("accepts exported metrics and the series of a histogram", () => {
    for (const name of [
      "a_total",
      "lag_seconds",
      "d_seconds_bucket",
      "d_seconds_sum",
      "d_seconds_count",
    ]) {
      assert.ok(isExported(catalog, name), name);
    }
  });

  it("MUST reject a metric no service exports, or histogram suffixes of another kind", () => {
    for (const name of ["b_total", "lag_seconds_bucket", "a_total_count", "d_second_bucket"]) {
      assert.equal(isExported(catalog, name), false, name);
    }
  });
});

describe("selectorsOfExpression", () => {
  it("names the labels each selector matches on, whatever the operator", () => {
    const expression =
      'sum(rate(a_total{class="5xx", instance=~"$instance"}[5m])) / sum(rate(b_total{x!="1",y!~"z.*"}[5m]))';
    assert.deepEqual(selectorsOfExpression(expression), [
      { metric: "a_total", labels: ["class", "instance"] },
      { metric: "b_total", labels: ["x", "y"] },
    ]);
  });
});

describe("checks of expressions against scrapes", () => {
  const text = [
    "# TYPE a_total counter",
    'a_total{class="4xx",code="401",service="edge"} 1',
    "# TYPE b_total counter",
    "# TYPE h_seconds histogram",
    'h_seconds_bucket{le="+Inf",subject="s"} 1',
  ].join("\n");

  it("reads the labels of every sample line", () => {
    assert.deepEqual(
      parseSeriesLabels(text),
      new Map([
        ["a_total", new Set(["class", "code", "service"])],
        ["h_seconds_bucket", new Set(["le", "subject"])],
      ]),
    );
  });

  it("MUST report metrics no scrape exports, `up` aside", () => {
    const expressions = ["up == 0", "rate(a_total[5m]) + rate(c_total[5m])", "h_seconds_count"];
    assert.deepEqual(unexportedMetrics(parseExposition(text), expressions), ["c_total"]);
  });

  it("MUST report a matcher on a label the metric's samples do not carry", () => {
    const expressions = [
      'rate(a_total{class="5xx", instance=~".*", job="edge"}[5m])',
      'rate(a_total{status="500"}[5m])',
      'h_seconds_bucket{role="client"}',
      'b_total{anything="x"}',
    ];
    assert.deepEqual(unknownMatcherLabels(parseSeriesLabels(text), expressions), [
      "a_total{status}",
      "h_seconds_bucket{role}",
    ]);
  });
});
