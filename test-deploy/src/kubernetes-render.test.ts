import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { hasBuiltInSchema, schemaProblems } from "./kube-schema.js";
import { KUSTOMIZATIONS, type KubeObject, renderKustomization } from "./kustomize.js";
import { serviceMonitorProblems } from "./service-monitor.js";

const CLUSTER_SCOPED = new Set(["Namespace"]);

describe("k8s/ kustomizations", () => {
  for (const dir of KUSTOMIZATIONS) {
    describe(dir, () => {
      let objects: KubeObject[] = [];
      before(() => {
        objects = renderKustomization(dir);
      });

      it("renders with kubectl kustomize", () => {
        assert.ok(objects.length > 0);
      });

      it("has only objects valid under the Kubernetes schemas, with no unknown field", () => {
        const problems = objects
          .filter(hasBuiltInSchema)
          .flatMap((object) =>
            schemaProblems(object).map(
              (problem) => `${object.kind} ${object.metadata.name}: ${problem}`,
            ),
          );
        assert.deepEqual(problems, []);
      });

      it("has custom resources only of known kinds, each well formed", () => {
        const custom = objects.filter((object) => !hasBuiltInSchema(object));
        for (const object of custom) {
          assert.equal(object.kind, "ServiceMonitor", `unexpected custom kind ${object.kind}`);
          assert.deepEqual(serviceMonitorProblems(object), [], object.metadata.name);
        }
      });

      it("puts every namespaced object in the switchboard namespace", () => {
        for (const object of objects) {
          const expected = CLUSTER_SCOPED.has(object.kind) ? undefined : "switchboard";
          assert.equal(
            object.metadata.namespace,
            expected,
            `${object.kind} ${object.metadata.name}`,
          );
        }
      });

      it("labels every object as part of switchboard", () => {
        for (const object of objects) {
          assert.equal(
            object.metadata.labels?.["app.kubernetes.io/part-of"],
            "switchboard",
            `${object.kind} ${object.metadata.name}`,
          );
        }
      });

      it("names generated ConfigMaps and Secrets by content hash, so a change rolls pods", () => {
        for (const object of objects) {
          if (object.kind !== "ConfigMap" && object.kind !== "Secret") continue;
          assert.match(object.metadata.name, /-[a-z0-9]{10}$/, object.metadata.name);
        }
      });
    });
  }

  it("MUST reject a misspelt field or a wrong type (the check itself works)", () => {
    const broken = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "broken" },
      spec: {
        replicas: "two",
        selector: { matchLabels: { a: "b" } },
        template: {
          metadata: { labels: { a: "b" } },
          spec: { containers: [{ name: "c", image: "i", readinesProbe: {} }] },
        },
      },
    } as unknown as KubeObject;
    const problems = schemaProblems(broken);
    assert.ok(
      problems.some((p) => p.includes("/spec/replicas")),
      problems.join("\n"),
    );
    assert.ok(
      problems.some((p) => p.includes("readinesProbe: unknown field")),
      problems.join("\n"),
    );
    const monitor = {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      metadata: { name: "m" },
      spec: { selector: { matchLabels: { a: "b" } }, endpoints: [{ prot: "http" }] },
    } as unknown as KubeObject;
    assert.deepEqual(serviceMonitorProblems(monitor), [
      "/spec/endpoints/0/prot: unknown field",
      "/spec/endpoints/0/port must name a port",
    ]);
  });
});
