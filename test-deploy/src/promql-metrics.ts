// Which metrics a PromQL expression reads, and whether a service exports them, from the
// Prometheus text exposition format a service serves on /metrics.

const KEYWORDS = new Set([
  "and",
  "or",
  "unless",
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "bool",
  "offset",
  "inf",
  "nan",
]);

/** The metric names `expression` selects (function names, labels and keywords left out). */
export function metricsOfExpression(expression: string): Set<string> {
  const stripped = expression
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, " ") // string literals
    .replace(/\$\{?\w+\}?/g, " ") // Grafana variables ($__rate_interval, ${instance})
    .replace(/\{[^}]*\}/g, " ") // label matchers
    .replace(/\[[^\]]*\]/g, " ") // ranges and subqueries
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " "); // label lists
  const names = new Set<string>();
  for (const match of stripped.matchAll(
    /\d+(?:\.\d+)?(?:e[+-]?\d+)?[a-z]*|([a-zA-Z_:][\w:]*)(\s*\()?/g,
  )) {
    const [, name, call] = match;
    if (name === undefined || call !== undefined || KEYWORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return names;
}

/** Metric name → type (counter, gauge, histogram, summary, untyped), from `# TYPE` lines. */
export type MetricCatalog = ReadonlyMap<string, string>;

export function parseExposition(text: string): Map<string, string> {
  const catalog = new Map<string, string>();
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    catalog.set(match[1] as string, match[2] as string);
  }
  return catalog;
}

const SERIES_SUFFIXES = ["_bucket", "_sum", "_count"];

/** True when `name` is a series of a metric in `catalog` (histogram series included). */
export function isExported(catalog: MetricCatalog, name: string): boolean {
  if (catalog.has(name)) return true;
  return SERIES_SUFFIXES.some((suffix) => {
    if (!name.endsWith(suffix)) return false;
    const type = catalog.get(name.slice(0, -suffix.length));
    return type === "histogram" || (type === "summary" && suffix !== "_bucket");
  });
}

/** Series name → every label name its samples carry, from the sample lines of /metrics. */
export type SeriesLabels = ReadonlyMap<string, ReadonlySet<string>>;

export function parseSeriesLabels(text: string): Map<string, Set<string>> {
  const series = new Map<string, Set<string>>();
  for (const match of text.matchAll(/^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+\S+/gm)) {
    const name = match[1] as string;
    const labels = series.get(name) ?? new Set<string>();
    for (const label of (match[2] ?? "").matchAll(/([a-zA-Z_]\w*)="(?:[^"\\]|\\.)*"/g)) {
      labels.add(label[1] as string);
    }
    series.set(name, labels);
  }
  return series;
}

/** A vector selector of an expression: the metric and the labels its matchers name. */
export interface Selector {
  readonly metric: string;
  readonly labels: readonly string[];
}

/** The selectors of `expression` that have label matchers (`name{label="value", …}`). */
export function selectorsOfExpression(expression: string): Selector[] {
  return [...expression.matchAll(/([a-zA-Z_:][\w:]*)\s*\{([^}]*)\}/g)].map((match) => ({
    metric: match[1] as string,
    labels: [...(match[2] as string).matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)].map(
      (label) => label[1] as string,
    ),
  }));
}

/** The labels Prometheus adds to every scraped series (the target's). */
const TARGET_LABELS = new Set(["job", "instance"]);

/** The metrics `expressions` read that `catalog` lacks (Prometheus' own `up` aside). */
export function unexportedMetrics(
  catalog: MetricCatalog,
  expressions: readonly string[],
): string[] {
  const missing = new Set<string>();
  for (const expression of expressions) {
    for (const name of metricsOfExpression(expression)) {
      if (name !== "up" && !isExported(catalog, name)) missing.add(name);
    }
  }
  return [...missing].sort();
}

/**
 * `metric{label}` for each label a matcher of `expressions` names that the metric's series
 * in `series` do not carry. Metrics without samples there are not judged.
 */
export function unknownMatcherLabels(series: SeriesLabels, expressions: readonly string[]) {
  const unknown = new Set<string>();
  for (const { metric, labels } of expressions.flatMap(selectorsOfExpression)) {
    const carried = series.get(metric);
    if (carried === undefined) continue;
    for (const label of labels) {
      if (!TARGET_LABELS.has(label) && !carried.has(label)) unknown.add(`${metric}{${label}}`);
    }
  }
  return [...unknown].sort();
}
