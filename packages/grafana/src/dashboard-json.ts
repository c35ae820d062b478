/**
 * The classic dashboard JSON (schema v1, `schemaVersion` ≤ 42), the format Grafana's file
 * provisioning reads; Grafana 13 refuses the v2 resource format there (grafana#127928).
 *
 * Typed with @grafana/schema's classic dashboard types, `Dashboard`, `Panel`, `RowPanel` and
 * `VariableModel` from the package root (dist/types/veneer/dashboard.types.d.ts over
 * raw/dashboard/x/types.gen.d.ts): they are Grafana's own published types for this format, kept in
 * step with each release. Not `apis/dashboard.grafana.app/v2*` (the v2 format provisioning
 * refuses) nor v0alpha1/v1beta1 (Kubernetes resource wrappers whose `spec` is untyped).
 */
import type { DataQuery, Dashboard as GrafanaDashboard, FieldColorModeId, Panel as GrafanaPanel, RowPanel, ThresholdsConfig, ThresholdsMode, VariableModel } from '@grafana/schema';
import type { Dashboard, Panel } from '@kiln/model';
import { canonical } from './canonical-json.js';
import type { RowLayout } from './layout.js';
import { DATASOURCE } from './variables.js';

/**
 * A panel link as Grafana reads it (@grafana/data's DataLink: title, url, targetBlank).
 * @grafana/schema types `Panel.links` as dashboard links (`asDropdown`, `tags` …), which panel links
 * are not; Kiln writes what Grafana's panel link editor saves.
 */
export interface PanelLink {
  readonly title: string;
  readonly url: string;
  readonly targetBlank?: boolean;
}

/** A Prometheus query as the Prometheus datasource saves it; @grafana/schema ships no type for it. */
export interface PrometheusTarget extends DataQuery {
  readonly datasource: typeof DATASOURCE;
  readonly editorMode: 'code';
  readonly expr: string;
  readonly format?: 'table' | 'heatmap';
  readonly instant?: boolean;
  readonly legendFormat?: string;
  readonly range: boolean;
}

/**
 * Two members of enums @grafana/schema declares; the package is imported for its types only, so
 * the values are written out (they are the strings Grafana saves).
 */
const ABSOLUTE = 'absolute' as ThresholdsMode.Absolute;
const BY_THRESHOLDS = 'thresholds' as FieldColorModeId.Thresholds;

export type DashboardPanel = Omit<GrafanaPanel, 'links' | 'targets'> & { links: PanelLink[]; targets: PrometheusTarget[] };

export interface DashboardParts {
  readonly dashboard: Dashboard;
  readonly schemaVersion: number;
  readonly rows: readonly RowLayout[];
  /** Panel ids from the model's `panelIds`, which runbook links use too. */
  readonly ids: ReadonlyMap<string, number>;
  readonly variables: VariableModel[];
  /** The URL of a panel a link points at. */
  readonly panelUrl: (ref: { readonly dashboard: string; readonly panel: string }) => string;
}

export type DashboardJson = Omit<GrafanaDashboard, 'panels'> & { panels: (DashboardPanel | RowPanel)[] };

export function dashboardJson(parts: DashboardParts): DashboardJson {
  const { dashboard, rows, ids } = parts;
  const panels: (DashboardPanel | RowPanel)[] = dashboard.rows.flatMap((row, r) => {
    const layout = rows[r];
    const first = ids.get(row.panels[0]?.title ?? '');
    if (!layout || first === undefined) throw new Error(`dashboardJson: row '${row.title}' has no layout or ids`);
    const rowPanel: RowPanel = { collapsed: false, gridPos: layout.gridPos, id: first - 1, panels: [], title: row.title, type: 'row' };
    return [rowPanel, ...row.panels.map((panel, p) => panelJson(panel, ids.get(panel.title) ?? 0, layout.panels[p], parts))];
  });
  return canonical<DashboardJson>({
    ...(dashboard.description === undefined ? {} : { description: dashboard.description }),
    // Provisioned from files: edits in the UI would be lost on the next sync (linter: uneditable-dashboard).
    editable: false,
    graphTooltip: 1,
    id: null,
    links: [],
    panels,
    refresh: '1m',
    schemaVersion: parts.schemaVersion,
    tags: [...dashboard.tags],
    templating: { list: parts.variables },
    time: { from: 'now-6h', to: 'now' },
    timezone: 'browser',
    title: dashboard.title,
    uid: dashboard.uid,
  });
}

function panelJson(panel: Panel, id: number, gridPos: RowLayout['panels'][number] | undefined, parts: DashboardParts): DashboardPanel {
  const steps = [...panel.thresholds].sort((a, b) => a.value - b.value);
  const thresholds: ThresholdsConfig = { mode: ABSOLUTE, steps: [{ color: 'green', value: null }, ...steps.map((step) => ({ color: step.color, value: step.value }))] };
  const byThresholds = panel.type === 'stat' || panel.type === 'gauge' || panel.type === 'bargauge';
  return {
    datasource: DATASOURCE,
    description: panel.description,
    fieldConfig: {
      defaults: {
        ...(byThresholds ? { color: { mode: BY_THRESHOLDS } } : {}),
        // A time series draws its thresholds only when asked to.
        ...(panel.type === 'timeseries' && steps.length > 0 ? { custom: { thresholdsStyle: { mode: 'line' } } } : {}),
        thresholds,
        unit: panel.unit,
      },
      overrides: [],
    },
    ...(gridPos ? { gridPos } : {}),
    id,
    links: panel.links.map((link) => ('url' in link ? { targetBlank: true, title: link.title, url: link.url } : { title: link.title, url: parts.panelUrl(link.panel) })),
    // A heatmap of histogram buckets shows them as they are, not re-bucketed by Grafana.
    ...(panel.type === 'heatmap' ? { options: { calculate: false } } : {}),
    targets: panel.queries.map((query, q) => targetJson(panel, query, q)),
    title: panel.title,
    type: panel.type,
  };
}

function targetJson(panel: Panel, query: Panel['queries'][number], q: number): PrometheusTarget {
  const legend = query.legend ?? (panel.type === 'heatmap' ? '{{le}}' : undefined);
  return {
    datasource: DATASOURCE,
    editorMode: 'code',
    expr: query.expr,
    ...(panel.type === 'table' ? { format: 'table', instant: true } : panel.type === 'heatmap' ? { format: 'heatmap' } : {}),
    ...(legend === undefined ? {} : { legendFormat: legend }),
    range: panel.type !== 'table',
    refId: refId(q),
  };
}

/** A, B, … Z, AA, AB …: Grafana's own query letters. */
function refId(index: number): string {
  let n = index;
  let id = '';
  do {
    id = String.fromCharCode(65 + (n % 26)) + id;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return id;
}
