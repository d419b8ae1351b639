// Whether NetworkPolicies let one pod open a connection to another, as a policy-enforcing
// network plugin decides it (Kubernetes "Network Policies": a pod selected by any policy
// of a direction accepts only what one of those policies allows in that direction).

import type { KubeObject } from "./kustomize.js";

type Labels = Readonly<Record<string, string>>;

interface LabelSelector {
  readonly matchLabels?: Labels;
}

interface Peer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: { readonly cidr: string };
}

interface Rule {
  readonly from?: readonly Peer[];
  readonly to?: readonly Peer[];
  readonly ports?: readonly { readonly protocol?: string; readonly port?: number | string }[];
}

interface NetworkPolicy extends KubeObject {
  readonly spec: {
    readonly podSelector: LabelSelector;
    readonly policyTypes?: readonly ("Ingress" | "Egress")[];
    readonly ingress?: readonly Rule[];
    readonly egress?: readonly Rule[];
  };
}

/** A pod, or a client outside the cluster (no namespace, no labels). */
export interface Endpoint {
  /** Undefined for a client outside the cluster. */
  readonly namespace?: string;
  readonly namespaceLabels?: Labels;
  readonly labels?: Labels;
}

export interface Connection {
  readonly port: number;
  readonly protocol: "TCP" | "UDP";
}

function matches(selector: LabelSelector | undefined, labels: Labels | undefined): boolean {
  return Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v);
}

function peerMatches(peer: Peer, other: Endpoint, policyNamespace: string): boolean {
  if (peer.ipBlock !== undefined) {
    // The manifests open a port to every address or name pods; a narrower block would need
    // real addresses to evaluate.
    if (!["0.0.0.0/0", "::/0"].includes(peer.ipBlock.cidr)) {
      throw new Error(`ipBlock ${peer.ipBlock.cidr}: only 0.0.0.0/0 and ::/0 are evaluated`);
    }
    return true;
  }
  if (other.namespace === undefined) return false;
  const namespaceOk =
    peer.namespaceSelector === undefined
      ? other.namespace === policyNamespace
      : matches(peer.namespaceSelector, other.namespaceLabels);
  return namespaceOk && matches(peer.podSelector, other.labels);
}

function ruleAllows(
  rule: Rule,
  peers: readonly Peer[] | undefined,
  other: Endpoint,
  connection: Connection,
  policyNamespace: string,
): boolean {
  const portOk =
    rule.ports === undefined ||
    rule.ports.some(
      (p) =>
        (p.protocol ?? "TCP") === connection.protocol &&
        (p.port === undefined || p.port === connection.port),
    );
  const peerOk = peers === undefined || peers.some((p) => peerMatches(p, other, policyNamespace));
  return portOk && peerOk;
}

function policiesOf(objects: readonly KubeObject[]): NetworkPolicy[] {
  return objects.filter((o) => o.kind === "NetworkPolicy") as NetworkPolicy[];
}

function types(policy: NetworkPolicy): readonly string[] {
  return policy.spec.policyTypes ?? ["Ingress", ...(policy.spec.egress ? ["Egress"] : [])];
}

/** True when the policies in `objects` let `source` connect to `destination`. */
export function allows(
  objects: readonly KubeObject[],
  source: Endpoint,
  destination: Endpoint,
  connection: Connection,
): boolean {
  const policies = policiesOf(objects);
  const applying = (endpoint: Endpoint, direction: "Ingress" | "Egress") =>
    policies.filter(
      (p) =>
        p.metadata.namespace === endpoint.namespace &&
        types(p).includes(direction) &&
        matches(p.spec.podSelector, endpoint.labels),
    );

  const ingressPolicies =
    destination.namespace === undefined ? [] : applying(destination, "Ingress");
  const ingressOk =
    ingressPolicies.length === 0 ||
    ingressPolicies.some((p) =>
      (p.spec.ingress ?? []).some((rule) =>
        ruleAllows(rule, rule.from, source, connection, p.metadata.namespace ?? ""),
      ),
    );
  const egressPolicies = source.namespace === undefined ? [] : applying(source, "Egress");
  const egressOk =
    egressPolicies.length === 0 ||
    egressPolicies.some((p) =>
      (p.spec.egress ?? []).some((rule) =>
        ruleAllows(rule, rule.to, destination, connection, p.metadata.namespace ?? ""),
      ),
    );
  return ingressOk && egressOk;
}
