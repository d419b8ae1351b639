// The observability files: Prometheus alert rules and the Grafana dashboard, with the PromQL
// expressions they evaluate.

import { parse } from "yaml";
import { readRepoFile } from "./repo.js";

export const ALERTS_FILE = "observability/alerts.yml";
export const DASHBOARD_FILE = "observability/grafana/dashboards/switchboard.json";

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Every alerting rule of alerts.yml. */
export function alertRules(): AlertRule[] {
  const file = parse(readRepoFile(ALERTS_FILE)) as { groups: { rules: AlertRule[] }[] };
  return file.groups.flatMap((group) => group.rules);
}

export interface DashboardTarget {
  readonly expr: string;
  readonly refId?: string;
  readonly legendFormat?: string;
  readonly datasource?: { readonly type: string; readonly uid: string };
}

export interface DashboardPanel {
  readonly id?: number;
  readonly type: string;
  readonly title: string;
  readonly datasource?: { readonly type: string; readonly uid: string };
  readonly targets?: readonly DashboardTarget[];
  readonly panels?: readonly DashboardPanel[];
  readonly gridPos?: {
    readonly h: number;
    readonly w: number;
    readonly x: number;
    readonly y: number;
  };
}

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly panels: readonly DashboardPanel[];
  readonly templating?: {
    readonly list: readonly {
      readonly name: string;
      readonly query?: string | { readonly query: string };
    }[];
  };
}

/** The dashboard JSON; throws a SyntaxError when it does not parse. */
export function dashboard(): Dashboard {
  return JSON.parse(readRepoFile(DASHBOARD_FILE)) as Dashboard;
}

/** Every panel, those inside collapsed rows included. */
export function allPanels(d: Dashboard): DashboardPanel[] {
  return d.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** Every PromQL expression the dashboard runs: panel targets and template variable queries. */
export function dashboardExpressions(d: Dashboard): string[] {
  const targets = panelExpressions(allPanels(d));
  const variables = (d.templating?.list ?? []).flatMap((variable) => {
    const query = typeof variable.query === "string" ? variable.query : variable.query?.query;
    // label_values(metric, label): the metric is what must exist.
    const metric = /^label_values\((\w+)/.exec(query ?? "")?.[1];
    return metric === undefined ? [] : [metric];
  });
  return [...targets, ...variables];
}

/** The panels under each row (by the row's title), in a dashboard of expanded rows. */
export function panelsByRow(d: Dashboard): Map<string, DashboardPanel[]> {
  const rows = new Map<string, DashboardPanel[]>();
  let current: DashboardPanel[] | undefined;
  for (const panel of d.panels) {
    if (panel.type === "row") {
      current = [...(panel.panels ?? [])];
      rows.set(panel.title, current);
    } else {
      current?.push(panel);
    }
  }
  return rows;
}

/** The PromQL expressions of `panels`' queries. */
export function panelExpressions(panels: readonly DashboardPanel[]): string[] {
  return panels.flatMap((panel) => (panel.targets ?? []).map((t) => t.expr));
}
