import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadEdgeConfig } from "@switchboard/edge-proxy";
import { ConfigError } from "@switchboard/kit";
import {
  type ComposeService,
  composeVariables,
  durationSeconds,
  loadCompose,
} from "./compose-file.js";
import { composeSchemaProblems } from "./compose-schema.js";
import { readRepoFile, repoFileExists } from "./repo.js";
import {
  containerCommand,
  environmentProblems,
  processConfig,
  processOfCommand,
} from "./service-configs.js";

/** A ROUTE_SECRET production accepts. */
const ROUTE_SECRET = "a-real-route-secret-0123456789abcdef0123";

const model = loadCompose({});
const services = Object.entries(model.services);

/** The words a container runs: its entrypoint (the image's when not set) and command. */
function commandWords(service: ComposeService): string[] {
  return [...(service.entrypoint ?? []), ...(service.command ?? [])];
}

/** The Switchboard services, by compose name, with the process each runs. */
const switchboardServices = services.flatMap(([name, service]) => {
  const kind = processOfCommand(commandWords(service));
  return kind === undefined ? [] : [{ name, service, kind }];
});

function service(name: string, env: Record<string, string> = {}): ComposeService {
  const found = loadCompose(env).services[name];
  assert.ok(found, `docker-compose.yml has no service ${name}`);
  return found;
}

function environmentOf(name: string, env: Record<string, string> = {}): Record<string, string> {
  return { ...service(name, env).environment };
}

describe("docker-compose.yml", () => {
  it("validates against the Compose specification's JSON schema", () => {
    assert.deepEqual(composeSchemaProblems(model), []);
  });

  it("runs auth, location, both migrations, edge-proxy and sbctl from the Switchboard image", () => {
    const found = switchboardServices.map(({ name, kind }) => `${name}:${kind}`).sort();
    assert.deepEqual(found, [
      "auth-migrate:auth",
      "auth:auth",
      "edge-proxy:edge-proxy",
      "location-migrate:location",
      "location:location",
      "sbctl:sbctl",
    ]);
    for (const { name, service } of switchboardServices) {
      assert.equal(service.build?.context, ".", `${name} builds the repository's Dockerfile`);
      assert.equal(service.image, "switchboard:dev", `${name} shares the one image`);
    }
  });

  for (const { name, service, kind } of switchboardServices) {
    it(`sets on ${name} only variables ${kind} reads, and every variable it requires`, () => {
      assert.deepEqual(environmentProblems(kind, Object.keys(service.environment ?? {})), []);
    });
  }

  it("runs the services in development by default, which accepts the development secrets", () => {
    for (const { name, kind } of switchboardServices) {
      const env = environmentOf(name);
      if (kind === "sbctl") continue;
      assert.equal(env.NODE_ENV, "development", name);
      assert.doesNotThrow(() => processConfig(kind).load(env), name);
    }
  });

  it("gives edge-proxy a configuration that loads without warnings, in development and production", () => {
    for (const mode of ["development", "production"]) {
      const env = environmentOf("edge-proxy", { SWITCHBOARD_NODE_ENV: mode, ROUTE_SECRET });
      assert.equal(env.NODE_ENV, mode);
      assert.deepEqual(processConfig("edge-proxy").load(env), [], `${mode}: no derived defaults`);
    }
  });

  it("gives edge-proxy SHUTDOWN_GRACE_S to finish running transactions before the kill", () => {
    const { config } = loadEdgeConfig(environmentOf("edge-proxy"));
    const granted = durationSeconds(service("edge-proxy").stop_grace_period ?? "10s");
    assert.ok(granted > config.SHUTDOWN_GRACE_S, `stop_grace_period ${granted}s`);
  });

  it("MUST NOT start the services in production with the development secrets", () => {
    const production = { SWITCHBOARD_NODE_ENV: "production" };
    for (const [name, refused] of [
      ["edge-proxy", ["ROUTE_SECRET"]],
      ["auth", ["ADMIN_TOKEN", "NONCE_SECRET"]],
      ["location", ["ADMIN_TOKEN"]],
    ] as const) {
      const env = environmentOf(name, production);
      assert.equal(env.NODE_ENV, "production");
      assert.throws(
        () => processConfig(name).load(env),
        (error: unknown) =>
          error instanceof ConfigError &&
          refused.every((variable) => error.problems.some((p) => p.variable === variable)),
        `${name} must refuse ${refused.join(", ")}`,
      );
    }
  });

  it("starts the services in production when real secrets are supplied", () => {
    const secrets = {
      SWITCHBOARD_NODE_ENV: "production",
      ADMIN_TOKEN: "a-real-admin-token-0123456789",
      NONCE_SECRET: "a-real-nonce-secret-0123456789abcdef0123",
      ROUTE_SECRET,
    };
    for (const name of ["edge-proxy", "auth", "location"] as const) {
      assert.doesNotThrow(() => processConfig(name).load(environmentOf(name, secrets)), name);
    }
  });

  it("starts each service's main with the Node.js flags of production, the rest with plain node", () => {
    for (const { name, service, kind } of switchboardServices) {
      if (kind === "sbctl") continue;
      const command = commandWords(service);
      assert.deepEqual(command, containerCommand(command.at(-1) ?? ""), name);
    }
  });

  it("gives auth, location and sbctl the same admin token", () => {
    const env = { ADMIN_TOKEN: "one-token-for-all-0123456789" };
    for (const name of ["auth", "location", "sbctl"]) {
      assert.equal(environmentOf(name, env).ADMIN_TOKEN, env.ADMIN_TOKEN, name);
    }
  });

  it("gives MySQL's init script the passwords the services' MYSQL_URLs carry", () => {
    const env = { AUTH_DB_PASSWORD: "auth-pw-1", LOCATION_DB_PASSWORD: "location-pw-2" };
    const mysql = environmentOf("mysql", env);
    for (const [name, variable] of [
      ["auth", "AUTH_DB_PASSWORD"],
      ["location", "LOCATION_DB_PASSWORD"],
    ] as const) {
      const url = new URL(environmentOf(name, env).MYSQL_URL ?? "");
      assert.equal(url.username, `switchboard_${name}`, `${name} connects as its own user`);
      assert.equal(url.password, env[variable]);
      assert.equal(mysql[variable], env[variable]);
      assert.equal(environmentOf(name, env).MYSQL_DATABASE, `switchboard_${name}`);
    }
  });

  it("gives every long-running service a healthcheck and disables it on one-shot containers", () => {
    for (const [name, service] of services) {
      const oneShot = service.restart === "no";
      if (oneShot) assert.equal(service.healthcheck?.disable, true, name);
      else assert.ok(Array.isArray(service.healthcheck?.test), `${name} has a healthcheck test`);
    }
  });

  it("starts auth and location after their migrations completed, with the same environment", () => {
    for (const name of ["auth", "location"]) {
      const migrate = service(`${name}-migrate`);
      assert.deepEqual(service(name).depends_on?.[`${name}-migrate`], {
        condition: "service_completed_successfully",
      });
      assert.deepEqual(migrate.command, ["node", `services/${name}/dist/migrate.js`]);
      assert.deepEqual(migrate.environment, service(name).environment);
      assert.deepEqual(migrate.depends_on?.mysql, { condition: "service_healthy" });
    }
  });

  it("waits for healthy MySQL and NATS before a service that uses them", () => {
    for (const { name, service } of switchboardServices) {
      const env = service.environment ?? {};
      const dependencies = service.depends_on ?? {};
      if (env.MYSQL_URL !== undefined) {
        assert.equal(new URL(env.MYSQL_URL).hostname, "mysql", name);
        assert.deepEqual(dependencies.mysql, { condition: "service_healthy" }, name);
      }
      if (env.NATS_URL !== undefined && !name.endsWith("-migrate")) {
        assert.equal(env.NATS_URL, "nats://nats:4222", name);
        assert.deepEqual(dependencies.nats, { condition: "service_healthy" }, name);
      }
    }
    assert.deepEqual(service("edge-proxy").depends_on?.auth, { condition: "service_healthy" });
    assert.deepEqual(service("edge-proxy").depends_on?.location, { condition: "service_healthy" });
  });

  it("runs NATS with JetStream and its monitoring port", () => {
    const command = service("nats").command ?? [];
    assert.ok(command.includes("--jetstream"), "JetStream enabled");
    assert.ok(command.includes("--http_port=8222"), "monitoring on 8222");
    assert.ok(service("nats").ports?.includes("127.0.0.1:8222:8222"));
  });

  it("publishes SIP on UDP 5060 and no SIP port over TCP (no TCP transport yet)", () => {
    const ports = service("edge-proxy").ports ?? [];
    assert.ok(ports.includes("5060:5060/udp"), `ports: ${ports.join(", ")}`);
    assert.ok(!ports.some((port) => /:5060(\/tcp)?$/.test(port)), "no TCP 5060");
    assert.equal(environmentOf("edge-proxy").SIP_PORT, "5060");
    assert.equal(
      environmentOf("edge-proxy", { SIP_PUBLISHED_PORT: "5080" }).SIP_ADVERTISED_PORT,
      "5080",
    );
  });

  it("publishes admin APIs, metrics and dashboards on this machine's loopback only", () => {
    for (const [name, service] of services) {
      for (const port of service.ports ?? []) {
        if (port.endsWith("/udp")) continue;
        assert.match(port, /^127\.0\.0\.1:/, `${name} publishes ${port}`);
      }
    }
  });

  it("runs sbctl only on demand (tools profile), with the CLI behind tini as entrypoint", () => {
    const sbctl = service("sbctl");
    assert.deepEqual(sbctl.profiles, ["tools"]);
    assert.deepEqual(sbctl.entrypoint, [
      "/usr/bin/tini",
      "--",
      "node",
      "packages/sbctl/dist/main.js",
    ]);
    assert.equal(environmentOf("sbctl").AUTH_ADMIN_URL, "http://auth:8081");
    assert.equal(environmentOf("sbctl").LOCATION_ADMIN_URL, "http://location:8082");
    for (const other of ["auth", "location"]) {
      assert.deepEqual(sbctl.depends_on?.[other], { condition: "service_healthy" });
    }
  });

  it("mounts only files and directories that exist in the repository", () => {
    for (const [name, service] of services) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(":")[0] ?? "";
        if (!source.startsWith("./")) {
          assert.ok(model.volumes?.[source] !== undefined, `${name}: volume ${source} declared`);
          continue;
        }
        assert.ok(repoFileExists(source.slice(2)), `${name} mounts ${source}, which must exist`);
      }
    }
  });

  it("lists in .env.example exactly the variables it interpolates", () => {
    const documented = readRepoFile(".env.example")
      .split("\n")
      .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
      .map((line) => line.slice(0, line.indexOf("=")));
    assert.deepEqual([...documented].sort(), [...composeVariables()].sort());
  });
});
