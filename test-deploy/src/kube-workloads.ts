// The pods that rendered Deployments and StatefulSets run, and the environment their
// containers get from ConfigMaps, Secrets and the downward API.

import { findObject, type KubeObject } from "./kustomize.js";

export interface Probe {
  readonly httpGet?: { readonly path: string; readonly port: string | number };
  readonly exec?: { readonly command: readonly string[] };
  readonly tcpSocket?: { readonly port: string | number };
}

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol?: string;
}

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly fieldRef?: { readonly fieldPath: string } };
}

export interface EnvFromSource {
  readonly configMapRef?: { readonly name: string };
  readonly secretRef?: { readonly name: string };
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: readonly EnvVar[];
  readonly envFrom?: readonly EnvFromSource[];
  readonly ports?: readonly ContainerPort[];
  readonly startupProbe?: Probe;
  readonly livenessProbe?: Probe;
  readonly readinessProbe?: Probe;
  readonly lifecycle?: { readonly preStop?: Probe };
  readonly resources?: {
    readonly requests?: Readonly<Record<string, string>>;
    readonly limits?: Readonly<Record<string, string>>;
  };
  readonly securityContext?: {
    readonly allowPrivilegeEscalation?: boolean;
    readonly readOnlyRootFilesystem?: boolean;
    readonly capabilities?: { readonly drop?: readonly string[] };
  };
}

export interface PodSpec {
  readonly containers: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly terminationGracePeriodSeconds?: number;
  readonly securityContext?: {
    readonly runAsNonRoot?: boolean;
    readonly runAsUser?: number;
  };
  readonly topologySpreadConstraints?: readonly {
    readonly topologyKey: string;
    readonly labelSelector?: { readonly matchLabels?: Readonly<Record<string, string>> };
  }[];
  readonly volumes?: readonly {
    readonly name: string;
    readonly configMap?: { readonly name: string; readonly defaultMode?: number };
  }[];
}

export interface Workload {
  readonly kind: "Deployment" | "StatefulSet";
  readonly name: string;
  readonly replicas: number | undefined;
  readonly selector: Readonly<Record<string, string>>;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly pod: PodSpec;
}

interface WorkloadObject extends KubeObject {
  readonly spec: {
    readonly replicas?: number;
    readonly selector: { readonly matchLabels: Readonly<Record<string, string>> };
    readonly template: {
      readonly metadata: { readonly labels: Readonly<Record<string, string>> };
      readonly spec: PodSpec;
    };
  };
}

/** The Deployments and StatefulSets among `objects`. */
export function workloads(objects: readonly KubeObject[]): Workload[] {
  return objects
    .filter((object) => object.kind === "Deployment" || object.kind === "StatefulSet")
    .map((object) => {
      const { spec } = object as WorkloadObject;
      return {
        kind: object.kind as Workload["kind"],
        name: object.metadata.name,
        replicas: spec.replicas,
        selector: spec.selector.matchLabels,
        podLabels: spec.template.metadata.labels,
        pod: spec.template.spec,
      };
    });
}

/** The workload named `name`; throws when it is missing. */
export function workload(objects: readonly KubeObject[], name: string): Workload {
  const found = workloads(objects).find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no Deployment or StatefulSet ${name}`);
  return found;
}

/** True when every label of `selector` is among `labels`. */
export function selects(
  selector: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/** The values the downward API gives in the checks: a pod address of the cluster network. */
const FIELD_VALUES: Readonly<Record<string, string>> = {
  "status.podIP": "10.244.0.17",
  "status.hostIP": "192.168.49.2",
};

/** A ConfigMap's or Secret's data as the container sees it (Secret values decoded). */
function dataOf(objects: readonly KubeObject[], kind: "ConfigMap" | "Secret", name: string) {
  const data = (findObject(objects, kind, name).data ?? {}) as Record<string, string>;
  if (kind === "ConfigMap") return data;
  return Object.fromEntries(
    Object.entries(data).map(([key, value]) => [key, Buffer.from(value, "base64").toString()]),
  );
}

/**
 * The environment of `container`: envFrom sources in order, then env (later wins, as in the
 * kubelet). Throws when a referenced ConfigMap or Secret is not among `objects`.
 */
export function containerEnvironment(
  container: Container,
  objects: readonly KubeObject[],
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef !== undefined) {
      Object.assign(env, dataOf(objects, "ConfigMap", source.configMapRef.name));
    }
    if (source.secretRef !== undefined) {
      Object.assign(env, dataOf(objects, "Secret", source.secretRef.name));
    }
  }
  for (const variable of container.env ?? []) {
    const field = variable.valueFrom?.fieldRef?.fieldPath;
    const value = field === undefined ? variable.value : FIELD_VALUES[field];
    if (value === undefined) throw new Error(`${variable.name}: no value in the checks`);
    env[variable.name] = value;
  }
  return env;
}

/** The words a container runs, given the Switchboard image's entrypoint (tini). */
export function containerWords(container: Container): string[] {
  return [...(container.command ?? []), ...(container.args ?? [])];
}

/** True for a container of the Switchboard image (any tag). */
export function isSwitchboardContainer(container: Container): boolean {
  return /^switchboard(:|$)/.test(container.image);
}
