// The shape of a Prometheus operator ServiceMonitor (monitoring.coreos.com/v1), checked here
// because kubernetes-models knows only built-in kinds. Only the fields the manifests use are
// accepted; anything else is reported, so that a misspelt field cannot pass unnoticed.

import type { KubeObject } from "./kustomize.js";

const DURATION = /^(\d+(ms|s|m|h))+$/;
const SPEC_FIELDS = new Set(["selector", "namespaceSelector", "endpoints", "jobLabel"]);
const ENDPOINT_FIELDS = new Set(["port", "path", "interval", "scrapeTimeout", "scheme"]);

function isStringMap(value: unknown): value is Record<string, string> {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    Object.values(value).every((item) => typeof item === "string")
  );
}

function unknownFields(value: object, known: ReadonlySet<string>, path: string): string[] {
  return Object.keys(value)
    .filter((key) => !known.has(key))
    .map((key) => `${path}/${key}: unknown field`);
}

function endpointProblems(endpoint: unknown, path: string): string[] {
  if (endpoint === null || typeof endpoint !== "object") return [`${path} must be an object`];
  const e = endpoint as Record<string, unknown>;
  const problems = unknownFields(e, ENDPOINT_FIELDS, path);
  if (typeof e.port !== "string" || e.port === "") problems.push(`${path}/port must name a port`);
  if (e.path !== undefined && !(typeof e.path === "string" && e.path.startsWith("/"))) {
    problems.push(`${path}/path must start with /`);
  }
  for (const field of ["interval", "scrapeTimeout"]) {
    const value = e[field];
    if (value !== undefined && !(typeof value === "string" && DURATION.test(value))) {
      problems.push(`${path}/${field} must be a duration such as 15s`);
    }
  }
  if (e.scheme !== undefined && e.scheme !== "http" && e.scheme !== "https") {
    problems.push(`${path}/scheme must be http or https`);
  }
  return problems;
}

/** Problems of a ServiceMonitor's shape; empty when it is well formed. */
export function serviceMonitorProblems(object: KubeObject): string[] {
  const problems: string[] = [];
  if (object.apiVersion !== "monitoring.coreos.com/v1") problems.push("apiVersion");
  if (typeof object.metadata?.name !== "string") problems.push("/metadata/name is required");
  const spec = object.spec as Record<string, unknown> | undefined;
  if (spec === undefined || typeof spec !== "object") return [...problems, "/spec is required"];
  problems.push(...unknownFields(spec, SPEC_FIELDS, "/spec"));
  const selector = spec.selector as Record<string, unknown> | undefined;
  if (!isStringMap(selector?.matchLabels) || Object.keys(selector.matchLabels).length === 0) {
    problems.push("/spec/selector/matchLabels must be a non-empty map of strings");
  }
  const namespaces = spec.namespaceSelector as Record<string, unknown> | undefined;
  if (
    namespaces !== undefined &&
    !(
      (Array.isArray(namespaces.matchNames) &&
        namespaces.matchNames.every((n) => typeof n === "string")) ||
      typeof namespaces.any === "boolean"
    )
  ) {
    problems.push("/spec/namespaceSelector must have matchNames (strings) or any (boolean)");
  }
  if (!Array.isArray(spec.endpoints) || spec.endpoints.length === 0) {
    problems.push("/spec/endpoints must be a non-empty list");
  } else {
    spec.endpoints.forEach((endpoint, i) => {
      problems.push(...endpointProblems(endpoint, `/spec/endpoints/${i}`));
    });
  }
  return problems;
}
