// auth and location started in-process with the environment docker-compose.yml gives them
// (pointed at the local MySQL and NATS, with a unique database and subject prefix): their
// /metrics is what the dashboard and alerts must query, and sbctl run with compose's sbctl
// environment must manage their users.

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { after, before, describe, it, type TestContext } from "node:test";
import { type AuthService, loadAuthConfig, startAuthService } from "@switchboard/auth";
import { createLogger, databaseUrl, dropDatabase } from "@switchboard/kit";
import {
  type LocationServiceHandle,
  loadLocationConfig,
  startLocationService,
} from "@switchboard/location";
import { runCli } from "@switchboard/sbctl";
import { loadCompose } from "./compose-file.js";
import { declaredMetrics } from "./declared-metrics.js";
import { alertRules, dashboard, dashboardExpressions } from "./observability-files.js";
import {
  isExported,
  type MetricCatalog,
  metricsOfExpression,
  parseExposition,
} from "./promql-metrics.js";

const MYSQL_SERVER = process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306";
const NATS_SERVER = process.env.NATS_URL ?? "nats://127.0.0.1:4222";
const unique = randomBytes(4).toString("hex");
const logger = createLogger({ service: "test-deploy", level: "silent" });

/** A compose service's environment, moved onto this machine's MySQL and NATS. */
function localEnvironment(service: string): Record<string, string> {
  const environment = loadCompose({}).services[service]?.environment;
  assert.ok(environment, `compose service ${service}`);
  return {
    ...environment,
    MYSQL_URL: MYSQL_SERVER,
    MYSQL_DATABASE: `sbdeploy_${service}_${unique}`,
    NATS_URL: NATS_SERVER,
    NATS_SUBJECT_PREFIX: `sbdeploy.${unique}`,
    HTTP_HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
  };
}

/** Any free port: the configuration refuses 0, the HTTP server takes it. */
const ANY_PORT = { HTTP_PORT: 0 } as const;

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe("auth and location as docker-compose.yml configures them", () => {
  let auth: AuthService;
  let location: LocationServiceHandle;
  const catalog = new Map<string, string>();
  const authConfig = { ...loadAuthConfig(localEnvironment("auth")).config, ...ANY_PORT };
  const locationConfig = { ...loadLocationConfig(localEnvironment("location")), ...ANY_PORT };

  /** sbctl with compose's environment for it, its URLs moved to the in-process services. */
  async function sbctl(args: string[], overrides: Record<string, string> = {}): Promise<CliRun> {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const env = {
      ...loadCompose({}).services.sbctl?.environment,
      AUTH_ADMIN_URL: auth.httpUrl,
      LOCATION_ADMIN_URL: location.httpUrl.replace("0.0.0.0", "127.0.0.1"),
      ...overrides,
    };
    const code = await runCli(args, {
      env,
      stdout: { write: (text: string) => stdout.push(text) },
      stderr: { write: (text: string) => stderr.push(text) },
      stdin: Readable.from([]),
    });
    return { code, stdout: stdout.join(""), stderr: stderr.join("") };
  }

  before(async () => {
    auth = await startAuthService(authConfig, { logger });
    location = await startLocationService(locationConfig, { logger, sweepOnTimer: false });
    for (const url of [auth.httpUrl, location.httpUrl]) {
      const response = await fetch(`${url.replace("0.0.0.0", "127.0.0.1")}/metrics`);
      assert.equal(response.status, 200);
      for (const [name, type] of parseExposition(await response.text())) catalog.set(name, type);
    }
  });

  after(async () => {
    await auth?.stop();
    await location?.stop();
    await dropDatabase(databaseUrl(authConfig));
    await dropDatabase(databaseUrl(locationConfig));
  });

  it("export the event-loop lag of Node's default metrics", () => {
    assert.equal(catalog.get("nodejs_eventloop_lag_seconds"), "gauge");
  });

  it("lets `sbctl add 1000 password1 user1@nowhere.com` create user 1000 of SIP_DOMAIN", async () => {
    const added = await sbctl(["add", "1000", "password1", "user1@nowhere.com"]);
    assert.equal(added.code, 0, added.stderr);
    const shown = await sbctl(["user", "show", "1000@localhost", "--json"]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /user1@nowhere\.com/);
  });

  it("lets sbctl reach location's admin API at LOCATION_ADMIN_URL", async () => {
    const contacts = await sbctl(["ul", "show", "--json"]);
    assert.equal(contacts.code, 0, contacts.stderr);
  });

  it("MUST refuse sbctl when its ADMIN_TOKEN differs from the services'", async () => {
    const refused = await sbctl(["user", "list"], { ADMIN_TOKEN: "not-the-token-0123456789" });
    assert.equal(refused.code, 1);
  });

  // edge-proxy is not started here: its metrics are those its sources declare.
  const edgeMetrics = declaredMetrics("services/edge-proxy");

  function checkExported(t: TestContext, expressions: readonly string[]): void {
    const missing = missingMetrics(new Map([...catalog, ...edgeMetrics]), expressions);
    if (edgeMetrics.size === 0 && missing.length > 0) {
      t.todo(`services/edge-proxy declares no metrics yet; unchecked: ${missing.join(", ")}`);
      return;
    }
    assert.deepEqual(missing, [], "queried but exported by no service");
  }

  it("export every metric the alert rules evaluate (edge-proxy's as its sources declare)", (t) => {
    checkExported(
      t,
      alertRules().map((rule) => rule.expr),
    );
  });

  it("export every metric the dashboard queries (edge-proxy's as its sources declare)", (t) => {
    checkExported(t, dashboardExpressions(dashboard()));
  });
});

/** The metrics `expressions` read that `catalog` lacks (Prometheus' own `up` aside). */
function missingMetrics(catalog: MetricCatalog, expressions: readonly string[]): string[] {
  const missing = new Set<string>();
  for (const expression of expressions) {
    for (const name of metricsOfExpression(expression)) {
      if (name !== "up" && !isExported(catalog, name)) missing.add(name);
    }
  }
  return [...missing].sort();
}
