import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { workload } from "./kube-workloads.js";
import { renderKustomization } from "./kustomize.js";
import { allows, type Connection, type Endpoint } from "./network-policy.js";

const NAMESPACE = "switchboard";
const namespaceLabels = (name: string) => ({ "kubernetes.io/metadata.name": name });

const base = renderKustomization("k8s/base");
const dev = renderKustomization("k8s/overlays/dev");

function pod(name: string): Endpoint {
  return {
    namespace: NAMESPACE,
    namespaceLabels: namespaceLabels(NAMESPACE),
    labels: workload(dev, name).podLabels,
  };
}

/** Another pod of the namespace, e.g. `kubectl run` of sbctl. */
const neighbour: Endpoint = {
  namespace: NAMESPACE,
  namespaceLabels: namespaceLabels(NAMESPACE),
  labels: { "app.kubernetes.io/name": "debug" },
};
const otherNamespace: Endpoint = {
  namespace: "default",
  namespaceLabels: namespaceLabels("default"),
  labels: { "app.kubernetes.io/name": "prometheus" },
};
const prometheus: Endpoint = {
  namespace: "monitoring",
  namespaceLabels: namespaceLabels("monitoring"),
  labels: { "app.kubernetes.io/name": "prometheus" },
};
const internet: Endpoint = {};

const TCP = (port: number): Connection => ({ port, protocol: "TCP" });
const UDP = (port: number): Connection => ({ port, protocol: "UDP" });
const PODS = ["auth", "location", "edge-proxy", "mysql", "nats"];

function who(destination: Endpoint, connection: Connection): string[] {
  return PODS.filter((name) => allows(dev, pod(name), destination, connection));
}

describe("k8s NetworkPolicies", () => {
  it("deny every connection no policy allows, in both directions", () => {
    for (const objects of [base, dev]) {
      const denyAll = objects.find((o) => o.metadata.name === "default-deny");
      assert.deepEqual(denyAll?.spec, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    }
    assert.equal(allows(dev, neighbour, pod("auth"), TCP(5432)), false);
    assert.equal(allows(dev, pod("auth"), internet, TCP(443)), false);
  });

  it("let only the three services reach NATS", () => {
    assert.deepEqual(who(pod("nats"), TCP(4222)), ["auth", "location", "edge-proxy"]);
    assert.equal(allows(dev, neighbour, pod("nats"), TCP(4222)), false);
    assert.equal(allows(dev, otherNamespace, pod("nats"), TCP(4222)), false);
  });

  it("let only auth and location reach MySQL", () => {
    assert.deepEqual(who(pod("mysql"), TCP(3306)), ["auth", "location"]);
    assert.equal(allows(dev, neighbour, pod("mysql"), TCP(3306)), false);
  });

  it("let the services reach MySQL and NATS outside the cluster, as the base names them", () => {
    for (const name of ["auth", "location"]) {
      assert.ok(allows(base, pod(name), internet, TCP(3306)), `${name} → MySQL`);
      assert.ok(allows(base, pod(name), internet, TCP(4222)), `${name} → NATS`);
    }
    assert.ok(allows(base, pod("edge-proxy"), internet, TCP(4222)));
    assert.equal(allows(base, pod("edge-proxy"), internet, TCP(3306)), false);
  });

  it("keep the admin APIs inside the namespace, Prometheus aside", () => {
    for (const [name, port] of [
      ["auth", 8081],
      ["location", 8082],
      ["edge-proxy", 8080],
    ] as const) {
      assert.ok(allows(dev, neighbour, pod(name), TCP(port)), `${name} from the namespace`);
      assert.ok(allows(dev, prometheus, pod(name), TCP(port)), `${name} from Prometheus`);
      assert.equal(allows(dev, otherNamespace, pod(name), TCP(port)), false, `${name} elsewhere`);
      assert.equal(allows(dev, internet, pod(name), TCP(port)), false, `${name} from outside`);
    }
  });

  it("let SIP in from anywhere and out to any phone or peer", () => {
    assert.ok(allows(dev, internet, pod("edge-proxy"), UDP(5060)));
    assert.ok(allows(dev, pod("edge-proxy"), internet, UDP(5060)));
    assert.ok(allows(dev, pod("edge-proxy"), internet, UDP(40_000)));
    assert.equal(allows(dev, internet, pod("auth"), UDP(5060)), false);
  });
});
