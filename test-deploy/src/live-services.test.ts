// auth, location and edge-proxy started in-process with the environment docker-compose.yml
// gives them (pointed at the local MySQL and NATS, with a unique database and subject
// prefix): their /metrics is what the dashboard and alerts must query, and sbctl run with
// compose's sbctl environment must manage their users.

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { type AuthService, loadAuthConfig, startAuthService } from "@switchboard/auth";
import { type EdgeProxy, loadEdgeConfig, startEdgeProxy } from "@switchboard/edge-proxy";
import { createLogger, databaseUrl, dropDatabase } from "@switchboard/kit";
import {
  type LocationServiceHandle,
  loadLocationConfig,
  startLocationService,
} from "@switchboard/location";
import { runCli } from "@switchboard/sbctl";
import { loadCompose } from "./compose-file.js";
import {
  alertRules,
  dashboard,
  dashboardExpressions,
  panelExpressions,
  panelsByRow,
} from "./observability-files.js";
import {
  parseExposition,
  parseSeriesLabels,
  unexportedMetrics,
  unknownMatcherLabels,
} from "./promql-metrics.js";
import { registerWithoutCredentials } from "./sip-probe.js";

const MYSQL_SERVER = process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306";
const NATS_SERVER = process.env.NATS_URL ?? "nats://127.0.0.1:4222";
const unique = randomBytes(4).toString("hex");
const logger = createLogger({ service: "test-deploy", level: "silent" });

/** A compose service's environment, moved onto this machine's MySQL and NATS. */
function localEnvironment(service: string): Record<string, string> {
  const environment = loadCompose({}).services[service]?.environment;
  assert.ok(environment, `compose service ${service}`);
  const mysql: Record<string, string> =
    environment.MYSQL_URL === undefined
      ? {}
      : { MYSQL_URL: MYSQL_SERVER, MYSQL_DATABASE: `sbdeploy_${service}_${unique}` };
  return {
    ...environment,
    ...mysql,
    NATS_URL: NATS_SERVER,
    NATS_SUBJECT_PREFIX: `sbdeploy.${unique}`,
    HTTP_HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
  };
}

/** Any free port: the configurations refuse 0, the servers and the SIP socket take it. */
const ANY_PORT = { HTTP_PORT: 0 } as const;

/** The alerts on the edge's own traffic and its calls to auth and location. */
const EDGE_ALERTS = ["SwitchboardEdgeServerErrors", "SwitchboardUpstreamRpcSlow"];

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe("auth, location and edge-proxy as docker-compose.yml configures them", () => {
  let auth: AuthService;
  let location: LocationServiceHandle;
  let edge: EdgeProxy;
  let registerAnswer: string;
  /** Each service's /metrics text and metric catalog, scraped after one REGISTER. */
  const scrapes = new Map<string, { text: string; catalog: Map<string, string> }>();
  const authConfig = { ...loadAuthConfig(localEnvironment("auth")).config, ...ANY_PORT };
  const locationConfig = { ...loadLocationConfig(localEnvironment("location")), ...ANY_PORT };
  const edgeConfig = {
    ...loadEdgeConfig(localEnvironment("edge-proxy")).config,
    ...ANY_PORT,
    SIP_LISTEN_HOST: "127.0.0.1",
    SIP_PORT: 0,
    // Nothing is left running at the end but the REGISTER's completed transaction.
    SHUTDOWN_GRACE_S: 0,
  };

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

  function scrape(service: string) {
    const found = scrapes.get(service);
    assert.ok(found, `${service} was scraped`);
    return found;
  }

  /** Every service's metrics in one catalog, every series' labels in one map. */
  function allScrapes() {
    const texts = [...scrapes.values()].map((s) => s.text);
    return {
      catalog: new Map([...scrapes.values()].flatMap((s) => [...s.catalog])),
      series: parseSeriesLabels(texts.join("\n")),
    };
  }

  before(async () => {
    auth = await startAuthService(authConfig, { logger });
    location = await startLocationService(locationConfig, { logger, sweepOnTimer: false });
    edge = await startEdgeProxy(edgeConfig, { logger });
    // One REGISTER through the edge to auth, so that the labelled series exist.
    const domain = edgeConfig.SIP_DOMAINS[0] as string;
    registerAnswer = await registerWithoutCredentials(edge.sipAddress, "1000", domain);
    for (const [service, url] of [
      ["auth", auth.httpUrl],
      ["location", location.httpUrl],
      ["edge-proxy", edge.httpAddress],
    ] as const) {
      const response = await fetch(`${url.replace("0.0.0.0", "127.0.0.1")}/metrics`);
      assert.equal(response.status, 200, `${service} /metrics`);
      const text = await response.text();
      scrapes.set(service, { text, catalog: parseExposition(text) });
    }
  });

  after(async () => {
    await edge?.stop();
    await auth?.stop();
    await location?.stop();
    await dropDatabase(databaseUrl(authConfig));
    await dropDatabase(databaseUrl(locationConfig));
  });

  it("export the event-loop lag of Node's default metrics", () => {
    for (const service of scrapes.keys()) {
      assert.equal(scrape(service).catalog.get("nodejs_eventloop_lag_seconds"), "gauge", service);
    }
  });

  it("challenge a REGISTER without credentials through the edge: 401 from auth over NATS", () => {
    assert.match(registerAnswer, /^SIP\/2\.0 401 /);
    assert.match(registerAnswer, /^WWW-Authenticate: Digest /m);
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

  it("export every metric the alert rules evaluate, with the labels they match on", () => {
    const { catalog, series } = allScrapes();
    const expressions = alertRules().map((rule) => rule.expr);
    assert.deepEqual(unexportedMetrics(catalog, expressions), [], "exported by no service");
    assert.deepEqual(unknownMatcherLabels(series, expressions), [], "labels never set");
  });

  it("export every metric the dashboard queries, with the labels it matches on", () => {
    const { catalog, series } = allScrapes();
    const expressions = dashboardExpressions(dashboard());
    assert.deepEqual(unexportedMetrics(catalog, expressions), [], "exported by no service");
    assert.deepEqual(unknownMatcherLabels(series, expressions), [], "labels never set");
  });

  it("read the edge's traffic and its calls to auth and location from the edge's own metrics", () => {
    // auth and location export the server side of the same calls: an edge panel or alert
    // reading those would show them as handled, not as the edge waited for them.
    const edgeRows = [...panelsByRow(dashboard())].filter(([title]) =>
      title.includes("(edge-proxy"),
    );
    assert.ok(edgeRows.length > 0, "the dashboard has edge-proxy rows");
    const alerts = alertRules().filter((rule) => EDGE_ALERTS.includes(rule.alert));
    assert.equal(alerts.length, EDGE_ALERTS.length, EDGE_ALERTS.join(", "));
    const expressions = [
      ...edgeRows.flatMap(([, panels]) => panelExpressions(panels)),
      ...alerts.map((rule) => rule.expr),
    ];
    assert.deepEqual(unexportedMetrics(scrape("edge-proxy").catalog, expressions), []);
  });

  it("time the edge's call to auth by subject, as the upstream latency alert groups it", () => {
    const series = parseSeriesLabels(scrape("edge-proxy").text);
    const upstream = alertRules().find((rule) => rule.alert === "SwitchboardUpstreamRpcSlow");
    assert.ok(upstream, "SwitchboardUpstreamRpcSlow");
    const [histogram] = [...upstream.expr.matchAll(/(\w+_bucket)\b/g)].map((m) => m[1]);
    assert.ok(histogram, "the alert reads a histogram");
    assert.ok(series.get(histogram)?.has("subject"), `${histogram} has series by subject`);
    const challenge = new RegExp(`^${histogram}\\{[^}]*subject="auth\\.v1\\.challenge"`, "m");
    assert.match(scrape("edge-proxy").text, challenge, "the REGISTER's challenge was timed");
  });
});
