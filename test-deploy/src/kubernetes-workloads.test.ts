import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadEdgeConfig } from "@switchboard/edge-proxy";
import { ConfigError } from "@switchboard/kit";
import {
  type Container,
  containerEnvironment,
  containerWords,
  isSwitchboardContainer,
  selects,
  type Workload,
  workload,
  workloads,
} from "./kube-workloads.js";
import { findObject, type KubeObject, objectsOfKind, renderKustomization } from "./kustomize.js";
import { readRepoFile } from "./repo.js";
import {
  containerCommand,
  ENTRY_POINT_FILES,
  environmentProblems,
  processConfig,
  processOfCommand,
} from "./service-configs.js";

/** A ROUTE_SECRET production accepts, standing in for the one an overlay supplies. */
const ROUTE_SECRET = "a-real-route-secret-0123456789abcdef0123";

const rendered = {
  base: renderKustomization("k8s/base"),
  dev: renderKustomization("k8s/overlays/dev"),
};
const SERVICES = ["auth", "location", "edge-proxy"] as const;

function switchboardContainers(w: Workload): Container[] {
  return [...(w.pod.initContainers ?? []), ...w.pod.containers].filter(isSwitchboardContainer);
}

interface HorizontalPodAutoscaler extends KubeObject {
  readonly spec: {
    readonly scaleTargetRef: { readonly kind: string; readonly name: string };
    readonly minReplicas: number;
    readonly maxReplicas: number;
  };
}

interface ServiceObject extends KubeObject {
  readonly spec: {
    readonly type?: string;
    readonly selector: Readonly<Record<string, string>>;
    readonly externalTrafficPolicy?: string;
    readonly ports: readonly { name: string; port: number; targetPort: string; protocol: string }[];
  };
}

for (const [overlay, objects] of Object.entries(rendered)) {
  describe(`k8s ${overlay}: workloads`, () => {
    const all = workloads(objects);

    it("runs auth, location and edge-proxy as Deployments of the Switchboard image", () => {
      for (const name of SERVICES) {
        const w = workload(objects, name);
        assert.equal(w.kind, "Deployment");
        const kind = processOfCommand(containerWords(w.pod.containers[0] as Container));
        assert.equal(kind, name, `${name} runs the ${name} entry point`);
      }
    });

    it("keeps the image's tini entrypoint (args, never command) and runs known entry points with the services' flags", () => {
      for (const w of all) {
        for (const container of switchboardContainers(w)) {
          assert.equal(container.command, undefined, `${w.name}/${container.name} sets command`);
          const entry = container.args?.at(-1) ?? "";
          // dockerfile.test.ts checks that each entry point is built from an existing source.
          assert.ok(ENTRY_POINT_FILES.includes(entry), `${w.name}/${container.name}: ${entry}`);
          assert.deepEqual(container.args, containerCommand(entry), "with the services' flags");
        }
      }
    });

    for (const name of SERVICES) {
      it(`sets on ${name}'s containers only variables it reads, and every one it requires`, () => {
        for (const container of switchboardContainers(workload(objects, name))) {
          const env = containerEnvironment(container, objects);
          assert.deepEqual(environmentProblems(name, Object.keys(env)), [], container.name);
        }
      });
    }

    it("runs the migrate entry in an init container before auth and location start", () => {
      for (const name of ["auth", "location"]) {
        const w = workload(objects, name);
        const migrate = w.pod.initContainers?.find((c) => c.name === "migrate");
        assert.ok(migrate, `${name} has a migrate init container`);
        assert.deepEqual(migrate.args, ["node", `services/${name}/dist/migrate.js`]);
        assert.deepEqual(migrate.envFrom, w.pod.containers[0]?.envFrom, "same configuration");
      }
    });

    it("probes readiness on /readyz, liveness on /healthz, and start-up, on the HTTP port", () => {
      for (const name of SERVICES) {
        const container = workload(objects, name).pod.containers[0] as Container;
        const env = containerEnvironment(container, objects);
        const http = container.ports?.find((p) => p.name === "http");
        assert.equal(String(http?.containerPort), env.HTTP_PORT, `${name} listens on HTTP_PORT`);
        assert.deepEqual(container.readinessProbe?.httpGet, { path: "/readyz", port: "http" });
        assert.deepEqual(container.livenessProbe?.httpGet, { path: "/healthz", port: "http" });
        assert.deepEqual(container.startupProbe?.httpGet, { path: "/healthz", port: "http" });
      }
    });

    it("runs every container as non-root, read-only, without privileges or capabilities", () => {
      for (const w of all) {
        const pod = w.pod.securityContext;
        assert.equal(pod?.runAsNonRoot, true, `${w.name} runAsNonRoot`);
        assert.ok((pod?.runAsUser ?? 0) > 0, `${w.name} has a numeric non-root user`);
        for (const container of [...(w.pod.initContainers ?? []), ...w.pod.containers]) {
          const where = `${w.name}/${container.name}`;
          const context = container.securityContext;
          assert.equal(context?.allowPrivilegeEscalation, false, where);
          assert.deepEqual(context?.capabilities?.drop, ["ALL"], where);
          if (isSwitchboardContainer(container)) {
            assert.equal(context?.readOnlyRootFilesystem, true, where);
          }
        }
      }
    });

    it("sets CPU and memory requests and limits on every container", () => {
      for (const w of all) {
        for (const container of [...(w.pod.initContainers ?? []), ...w.pod.containers]) {
          for (const bound of ["requests", "limits"] as const) {
            for (const resource of ["cpu", "memory"]) {
              assert.ok(
                container.resources?.[bound]?.[resource],
                `${w.name}/${container.name} ${bound}.${resource}`,
              );
            }
          }
        }
      }
    });

    it("spreads each service's pods over nodes and zones", () => {
      for (const name of SERVICES) {
        const w = workload(objects, name);
        const keys = (w.pod.topologySpreadConstraints ?? [])
          .filter((c) => selects(c.labelSelector?.matchLabels ?? {}, w.podLabels))
          .map((c) => c.topologyKey);
        assert.deepEqual(keys, ["kubernetes.io/hostname", "topology.kubernetes.io/zone"], name);
      }
    });

    it("autoscales auth and location, whose Deployments leave the replica count to the HPA", () => {
      const hpas = objectsOfKind<HorizontalPodAutoscaler>(objects, "HorizontalPodAutoscaler");
      assert.deepEqual(hpas.map((h) => h.spec.scaleTargetRef.name).sort(), ["auth", "location"]);
      for (const hpa of hpas) {
        const target = workload(objects, hpa.spec.scaleTargetRef.name);
        assert.equal(hpa.spec.scaleTargetRef.kind, target.kind);
        assert.equal(target.replicas, undefined, `${target.name} must not fix replicas`);
        assert.ok(hpa.spec.minReplicas <= hpa.spec.maxReplicas);
      }
    });

    it("runs location in db-only mode, as more than one replica may run", () => {
      const hpa = findObject<HorizontalPodAutoscaler>(
        objects,
        "HorizontalPodAutoscaler",
        "location",
      );
      assert.ok(hpa.spec.maxReplicas > 1);
      const container = workload(objects, "location").pod.containers[0] as Container;
      assert.equal(containerEnvironment(container, objects).LOCATION_DB_MODE, "db-only");
    });

    it("has a PodDisruptionBudget selecting each service's pods", () => {
      for (const name of SERVICES) {
        const pdb = findObject(objects, "PodDisruptionBudget", name) as KubeObject & {
          spec: { selector: { matchLabels: Record<string, string> } };
        };
        const matched = all.filter((w) => selects(pdb.spec.selector.matchLabels, w.podLabels));
        assert.deepEqual(
          matched.map((w) => w.name),
          [name],
        );
      }
    });

    it("has Services that select pods and target ports those pods declare", () => {
      for (const service of objectsOfKind<ServiceObject>(objects, "Service")) {
        const targets = all.filter((w) => selects(service.spec.selector, w.podLabels));
        assert.equal(targets.length, 1, `${service.metadata.name} selects one workload`);
        const ports = targets[0]?.pod.containers.flatMap((c) => c.ports ?? []) ?? [];
        for (const port of service.spec.ports) {
          const target = ports.find((p) => p.name === port.targetPort);
          assert.ok(target, `${service.metadata.name}: port ${port.targetPort} declared`);
          assert.equal(target.protocol ?? "TCP", port.protocol, service.metadata.name);
        }
      }
    });

    it("exposes SIP on a UDP LoadBalancer that keeps the client's address", () => {
      const sip = findObject<ServiceObject>(objects, "Service", "edge-proxy-sip");
      assert.equal(sip.spec.type, "LoadBalancer");
      assert.equal(sip.spec.externalTrafficPolicy, "Local");
      assert.deepEqual(
        sip.spec.ports.map((p) => `${p.port}/${p.protocol}`),
        ["5060/UDP"],
      );
      const services = objectsOfKind<ServiceObject>(objects, "Service");
      for (const service of services.filter((s) => s.spec.type === "LoadBalancer")) {
        assert.equal(service.metadata.name, "edge-proxy-sip", "only SIP leaves the cluster");
      }
    });

    it("advertises the edge pod's own address in Via, Record-Route and Path", () => {
      const container = workload(objects, "edge-proxy").pod.containers[0] as Container;
      const advertised = container.env?.find((v) => v.name === "SIP_ADVERTISED_HOST");
      assert.deepEqual(advertised?.valueFrom, { fieldRef: { fieldPath: "status.podIP" } });
      // The Secret's ROUTE_SECRET is a placeholder: production replaces it.
      const env = { ...containerEnvironment(container, objects), ROUTE_SECRET };
      assert.deepEqual(processConfig("edge-proxy").load(env), [], "no derived address");
    });

    it("gives the edge pod time for its preStop pause and SHUTDOWN_GRACE_S before the kill", () => {
      const w = workload(objects, "edge-proxy");
      const container = w.pod.containers[0] as Container;
      const { config } = loadEdgeConfig({
        ...containerEnvironment(container, objects),
        ROUTE_SECRET,
      });
      const [sleep, seconds] = container.lifecycle?.preStop?.exec?.command ?? [];
      assert.equal(sleep, "sleep", "preStop pauses");
      const needed = Number(seconds) + config.SHUTDOWN_GRACE_S;
      const granted = w.pod.terminationGracePeriodSeconds ?? 30;
      assert.ok(granted > needed, `terminationGracePeriodSeconds ${granted} <= ${needed}`);
    });
  });
}

describe("k8s base", () => {
  const objects = rendered.base;

  it("names MySQL and NATS by URL only: it runs neither", () => {
    assert.deepEqual(
      workloads(objects)
        .map((w) => w.name)
        .sort(),
      [...SERVICES].sort(),
    );
  });

  it("runs in production, where the placeholder secrets are refused until replaced", () => {
    for (const [name, secret] of [
      ["auth", "ADMIN_TOKEN"],
      ["location", "ADMIN_TOKEN"],
      ["edge-proxy", "ROUTE_SECRET"],
    ] as const) {
      const env = containerEnvironment(
        workload(objects, name).pod.containers[0] as Container,
        objects,
      );
      assert.equal(env.NODE_ENV, "production");
      assert.throws(
        () => processConfig(name).load(env),
        (error: unknown) =>
          error instanceof ConfigError && error.problems.some((p) => p.variable === secret),
        name,
      );
    }
  });
});

describe("k8s overlays/dev", () => {
  const objects = rendered.dev;

  it("runs single-replica MySQL and NATS StatefulSets beside the services", () => {
    for (const name of ["mysql", "nats"]) {
      const w = workload(objects, name);
      assert.equal(w.kind, "StatefulSet");
      assert.equal(w.replicas, 1);
    }
  });

  it("runs the services in development, whose configuration loads", () => {
    for (const name of SERVICES) {
      const env = containerEnvironment(
        workload(objects, name).pod.containers[0] as Container,
        objects,
      );
      assert.equal(env.NODE_ENV, "development");
      assert.doesNotThrow(() => processConfig(name).load(env), name);
    }
  });

  it("points the services at the MySQL and NATS Services, with the passwords MySQL is given", () => {
    const mysql = containerEnvironment(
      workload(objects, "mysql").pod.containers[0] as Container,
      objects,
    );
    const serviceNames = objectsOfKind(objects, "Service").map((s) => s.metadata.name);
    for (const name of SERVICES) {
      const env = containerEnvironment(
        workload(objects, name).pod.containers[0] as Container,
        objects,
      );
      assert.ok(serviceNames.includes(new URL(env.NATS_URL ?? "").hostname), `${name} NATS_URL`);
      if (name === "edge-proxy") continue;
      const url = new URL(env.MYSQL_URL ?? "");
      assert.ok(serviceNames.includes(url.hostname), `${name} MYSQL_URL host`);
      assert.equal(url.username, `switchboard_${name}`);
      const variable = name === "auth" ? "AUTH_DB_PASSWORD" : "LOCATION_DB_PASSWORD";
      assert.equal(decodeURIComponent(url.password), mysql[variable], `${name}'s password`);
    }
  });

  it("initialises MySQL with deploy/mysql-init's script, mounted executable", () => {
    const w = workload(objects, "mysql");
    const volume = w.pod.volumes?.find((v) => v.configMap !== undefined);
    assert.ok(volume?.configMap);
    assert.equal(volume.configMap.defaultMode, 0o555);
    const configMap = findObject(objects, "ConfigMap", volume.configMap.name);
    const script = "01-switchboard-databases.sh";
    assert.equal(
      (configMap.data as Record<string, string>)[script],
      readRepoFile(`deploy/mysql-init/${script}`),
    );
  });
});
