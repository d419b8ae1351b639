// Rendering the Kubernetes manifests with `kubectl kustomize`.

import { execFileSync } from "node:child_process";
import { parseAllDocuments } from "yaml";
import { repoPath } from "./repo.js";

/** The fields of a Kubernetes object every check reads. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: unknown;
}

/** The kustomizations of k8s/, each rendered on its own. */
export const KUSTOMIZATIONS = ["k8s/base", "k8s/overlays/dev", "k8s/monitoring"] as const;

/** `kubectl kustomize <dir>`'s objects. Throws with kubectl's message when it fails. */
export function renderKustomization(dir: string): KubeObject[] {
  const output = execFileSync("kubectl", ["kustomize", repoPath(dir)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 16 * 1024 * 1024,
  });
  return parseAllDocuments(output).map((document) => {
    if (document.errors.length > 0) throw document.errors[0];
    return document.toJS() as KubeObject;
  });
}

/** The one object of `kind` named `name`; throws naming what is missing. */
export function findObject<T = KubeObject>(
  objects: readonly KubeObject[],
  kind: string,
  name: string,
): T {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name} in the rendered manifests`);
  return found as T;
}

/** Objects of one kind. */
export function objectsOfKind<T = KubeObject>(objects: readonly KubeObject[], kind: string): T[] {
  return objects.filter((object) => object.kind === kind) as T[];
}
