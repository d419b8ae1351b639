// Validating rendered Kubernetes objects against the Kubernetes OpenAPI schemas that the
// kubernetes-models package compiles, plus a check the schemas alone do not make: every
// field must be one the schema knows (a misspelt `readinesProbe` is otherwise ignored by the
// schema and silently dropped by the API server's non-strict decoding).

import * as appsV1 from "kubernetes-models/apps/v1";
import * as autoscalingV2 from "kubernetes-models/autoscaling/v2";
import * as networkingV1 from "kubernetes-models/networking.k8s.io/v1";
import * as policyV1 from "kubernetes-models/policy/v1";
import * as coreV1 from "kubernetes-models/v1";
import type { KubeObject } from "./kustomize.js";

interface ModelClass {
  prototype: { validate(this: unknown): void };
}

const API_GROUPS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  v1: coreV1,
  "apps/v1": appsV1,
  "autoscaling/v2": autoscalingV2,
  "networking.k8s.io/v1": networkingV1,
  "policy/v1": policyV1,
};

/** The model of a built-in kind, or undefined for kinds this module has no schema of. */
function modelOf(object: KubeObject): ModelClass | undefined {
  const candidate = API_GROUPS[object.apiVersion]?.[object.kind];
  return typeof candidate === "function" ? (candidate as unknown as ModelClass) : undefined;
}

/** True when the object's kind has a schema here (built-in kinds of the groups above). */
export function hasBuiltInSchema(object: KubeObject): boolean {
  return modelOf(object) !== undefined;
}

interface Tracker {
  readonly proxy: unknown;
  /** Paths of fields the validator never looked at. */
  unread(): string[];
}

/**
 * Wraps `value` so that reading a property is recorded. A generated validator reads every
 * property its schema declares, and enumerates the keys of maps (labels, resources), so an
 * own key of a plain object that was neither read nor enumerated is unknown to the schema.
 */
function track(value: unknown, path: string): Tracker {
  if (value === null || typeof value !== "object") {
    return { proxy: value, unread: () => [] };
  }
  const children = new Map(
    Object.entries(value).map(([key, child]) => [key, track(child, `${path}/${key}`)]),
  );
  const read = new Set<string>();
  let enumerated = Array.isArray(value);
  const proxy = new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key === "string") {
        read.add(key);
        const child = children.get(key);
        if (child !== undefined && Object.hasOwn(target, key)) return child.proxy;
      }
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      if (typeof key === "string") read.add(key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      enumerated = true;
      return Reflect.ownKeys(target);
    },
  });
  return {
    proxy,
    unread: () => [
      ...(enumerated ? [] : Object.keys(value).filter((key) => !read.has(key))).map(
        (key) => `${path}/${key}`,
      ),
      ...[...children.values()].flatMap((child) => child.unread()),
    ],
  };
}

/** Why a schema rejected an object: the validator's messages, one per line. */
function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const details = (error as { errors?: { instancePath?: string; message?: string }[] }).errors;
    if (Array.isArray(details) && details.length > 0) {
      return details.map((d) => `${d.instancePath || "/"} ${d.message ?? ""}`.trim()).join("\n");
    }
    return error.message;
  }
  return String(error);
}

/**
 * The object as the API server decodes it: kustomize wraps long base64 Secret values over
 * several lines, which Go's base64 decoder reads by skipping the line breaks.
 */
function asDecoded(object: KubeObject): KubeObject {
  if (object.kind !== "Secret" || object.data === undefined) return object;
  const data = Object.fromEntries(
    Object.entries(object.data as Record<string, string>).map(([key, value]) => [
      key,
      value.replace(/[\r\n]/g, ""),
    ]),
  );
  return { ...object, data };
}

/**
 * Problems of one built-in object: schema violations and fields the schema does not know.
 * @throws when the object's kind has no schema here (check {@link hasBuiltInSchema} first).
 */
export function schemaProblems(object: KubeObject): string[] {
  const model = modelOf(object);
  if (model === undefined) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  const tracker = track(asDecoded(object), "");
  const problems: string[] = [];
  try {
    model.prototype.validate.call(tracker.proxy);
  } catch (error) {
    problems.push(describeFailure(error));
  }
  return [...problems, ...tracker.unread().map((path) => `${path}: unknown field`)];
}
