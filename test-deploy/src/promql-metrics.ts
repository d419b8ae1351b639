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
