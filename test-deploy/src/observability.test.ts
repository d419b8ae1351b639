import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { parse } from "yaml";
import { loadCompose } from "./compose-file.js";
import { alertRules, allPanels, dashboard, panelExpressions } from "./observability-files.js";
import { readRepoFile, repoPath } from "./repo.js";

const run = promisify(execFile);

/** Runs promtool (Debian's `prometheus` package); its output when it fails. */
async function promtool(...args: string[]): Promise<void> {
  try {
    await run("promtool", args, { cwd: repoPath("observability") });
  } catch (error) {
    const { code, stdout, stderr } = error as { code?: string; stdout?: string; stderr?: string };
    if (code === "ENOENT") {
      assert.fail("promtool is not installed (apt-get install prometheus provides it)");
    }
    assert.fail(`promtool ${args.join(" ")} failed:\n${stdout}${stderr}`);
  }
}

interface ScrapeConfig {
  readonly job_name: string;
  readonly dns_sd_configs?: readonly { names: string[]; type: string; port: number }[];
}

const prometheusConfig = parse(readRepoFile("observability/prometheus.yml")) as {
  rule_files: string[];
  scrape_configs: ScrapeConfig[];
};
const compose = loadCompose();

/** The container path a compose service mounts `source` at. */
function mountTarget(service: string, source: string): string | undefined {
  const volume = compose.services[service]?.volumes?.find((v) => v.startsWith(`${source}:`));
  return volume?.split(":")[1];
}

describe("Prometheus configuration", () => {
  it("passes promtool check config, with its rule files", async () => {
    await promtool("check", "config", "prometheus.yml");
  });

  it("has alert rules that pass promtool check rules", async () => {
    await promtool("check", "rules", "alerts.yml");
  });

  it("has alert rules that pass their promtool unit tests", async () => {
    await promtool("test", "rules", "alerts.test.yml");
  });

  it("scrapes every Switchboard service of the compose file on the port it listens on", () => {
    for (const name of ["edge-proxy", "auth", "location"]) {
      const job = prometheusConfig.scrape_configs.find((c) => c.job_name === name);
      assert.ok(job, `a scrape job for ${name}`);
      assert.deepEqual(job.dns_sd_configs?.[0]?.names, [name], "every container of the service");
      const port = compose.services[name]?.environment?.HTTP_PORT;
      assert.equal(String(job.dns_sd_configs?.[0]?.port), port, `${name} HTTP_PORT`);
    }
  });

  it("finds its rule files where compose mounts them", () => {
    const configTarget = mountTarget("prometheus", "./observability/prometheus.yml");
    assert.equal(configTarget, "/etc/prometheus/prometheus.yml");
    for (const file of prometheusConfig.rule_files) {
      assert.equal(mountTarget("prometheus", `./observability/${file}`), `/etc/prometheus/${file}`);
    }
  });

  it("labels every alert with a severity and explains it", () => {
    for (const rule of alertRules()) {
      assert.match(rule.labels?.severity ?? "", /^(critical|warning)$/, rule.alert);
      assert.ok(rule.annotations?.summary, `${rule.alert} has a summary`);
      assert.ok(rule.for, `${rule.alert} waits before firing`);
    }
  });

  it("has a unit test that fires each alert", () => {
    const tests = parse(readRepoFile("observability/alerts.test.yml")) as {
      tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
    };
    const fired = new Set(
      tests.tests
        .flatMap((t) => t.alert_rule_test ?? [])
        .filter((t) => t.exp_alerts.length > 0)
        .map((t) => t.alertname),
    );
    assert.deepEqual(
      [...fired].sort(),
      alertRules()
        .map((r) => r.alert)
        .sort(),
    );
  });

  it("has the alerts docs/deployment.md lists, and only those", () => {
    const documented = [
      ...readRepoFile("docs/deployment.md").matchAll(/^\|\s*`(Switchboard\w+)`\s*\|/gm),
    ].map((m) => m[1]);
    assert.deepEqual(
      documented.sort(),
      alertRules()
        .map((r) => r.alert)
        .sort(),
    );
  });
});

describe("Grafana provisioning", () => {
  const datasources = parse(
    readRepoFile("observability/grafana/provisioning/datasources/prometheus.yml"),
  ) as { datasources: { uid: string; type: string; url: string }[] };
  const providers = parse(
    readRepoFile("observability/grafana/provisioning/dashboards/switchboard.yml"),
  ) as { providers: { options: { path: string } }[] };
  const board = dashboard();

  it("points the datasource at the compose Prometheus", () => {
    const [source] = datasources.datasources;
    assert.equal(source?.type, "prometheus");
    assert.equal(source?.url, "http://prometheus:9090");
    assert.ok(compose.services.prometheus?.ports?.some((p) => p.endsWith(":9090")));
  });

  it("loads dashboards from where compose mounts them", () => {
    assert.equal(
      mountTarget("grafana", "./observability/grafana/dashboards"),
      providers.providers[0]?.options.path,
    );
    assert.equal(
      mountTarget("grafana", "./observability/grafana/provisioning"),
      "/etc/grafana/provisioning",
    );
  });

  it("has a dashboard whose every query uses the provisioned datasource", () => {
    const uid = datasources.datasources[0]?.uid;
    const panels = allPanels(board).filter((panel) => panel.type !== "row");
    assert.ok(panels.length > 0);
    for (const panel of panels) {
      assert.equal(panel.datasource?.uid, uid, panel.title);
      assert.ok((panel.targets ?? []).length > 0, `${panel.title} has queries`);
      for (const target of panel.targets ?? []) assert.equal(target.datasource?.uid, uid);
    }
  });

  it("lays out panels without overlaps, on Grafana's 24-column grid", () => {
    const cells = new Map<string, string>();
    for (const panel of allPanels(board)) {
      const g = panel.gridPos;
      assert.ok(g, `${panel.title} has a position`);
      assert.ok(g.x + g.w <= 24, `${panel.title} fits the grid`);
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          const other = cells.get(`${x},${y}`);
          assert.equal(other, undefined, `${panel.title} overlaps ${other}`);
          cells.set(`${x},${y}`, panel.title);
        }
      }
    }
  });

  it("gives every panel a unique id and every query a unique refId within its panel", () => {
    const ids = allPanels(board).map((panel) => panel.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const panel of allPanels(board)) {
      const refIds = (panel.targets ?? []).map((t) => t.refId);
      assert.equal(new Set(refIds).size, refIds.length, panel.title);
    }
  });

  it("shows per instance what the services do: traffic, auth, contacts, event-loop lag", () => {
    const expressions = panelExpressions(allPanels(board));
    for (const metric of [
      "switchboard_auth_verifications_total",
      "switchboard_location_contacts",
      "nodejs_eventloop_lag_seconds",
    ]) {
      assert.ok(
        expressions.some((e) => e.includes(metric)),
        metric,
      );
    }
    assert.ok(
      expressions.every((e) => e.includes('instance=~"$instance"')),
      "filtered by instance",
    );
  });
});
