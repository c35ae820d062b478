/**
 * The authoring schema of dashboards and runbook procedures: what the on-call engineer follows from
 * an alert to its runbook to the panel that shows the problem. Every link between them is checked
 * on these names before anything is rendered.
 */
import { z } from 'zod';
import { dnsLabel } from './checks.js';

export const PANEL_TYPES = ['timeseries', 'stat', 'gauge', 'bargauge', 'table', 'heatmap'] as const;

/** A Grafana dashboard uid: at most 40 characters of letters, digits, `-` and `_`. */
export const dashboardUid = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "a dashboard uid is at most 40 letters, digits, '-' and '_'");

/** Where a link points: a panel of a dashboard of the same environment (checked), or a URL. */
export const panelRefSchema = z.strictObject({
  /** The dashboard's uid. */
  dashboard: dashboardUid,
  /** The panel's title on that dashboard. */
  panel: z.string().min(1),
});

export const panelSchema = z.strictObject({
  /** Panel title, unique on its dashboard; links and runbooks refer to it. */
  title: z.string().min(1),
  /** What the panel shows and how to read it. */
  description: z.string().min(1),
  /**
   * Grafana panel type; `heatmap` is for histograms' buckets.
   * @default 'timeseries'
   */
  type: z.enum(PANEL_TYPES).default('timeseries'),
  /** A Grafana unit id: `s`, `ms`, `bytes`, `percentunit`, `reqps`, `short` … */
  unit: z.string().min(1),
  /** PromQL queries, checked like alert expressions. Use `$__rate_interval` as the rate window. */
  queries: z
    .array(
      z.strictObject({
        /** PromQL. */
        expr: z.string().min(1),
        /** Legend, a Grafana template such as `{{instance}}`. */
        legend: z.string().optional(),
      }),
    )
    .min(1),
  /**
   * Threshold steps above the base (green): `[{ value: 0.8, color: 'orange' }, { value: 0.95, color: 'red' }]`.
   * @default []
   */
  thresholds: z
    .array(
      z.strictObject({
        /** Where the step starts. */
        value: z.number(),
        /** Its color, a Grafana color name or `#rrggbb`. */
        color: z.string().min(1),
      }),
    )
    .default([]),
  /**
   * Links shown on the panel: another panel of this environment, or a URL.
   * @default []
   */
  links: z
    .array(
      z.union([
        z.strictObject({
          /** The link's text. */
          title: z.string().min(1),
          /** The panel it opens. */
          panel: panelRefSchema,
        }),
        z.strictObject({
          /** The link's text. */
          title: z.string().min(1),
          /** The address it opens. */
          url: z.url(),
        }),
      ]),
    )
    .default([]),
  /**
   * Width in grid columns (of 24); panels fill rows left to right.
   * @default 12
   */
  width: z.number().int().min(1).max(24).optional(),
  /**
   * Height in grid units.
   * @default 8
   */
  height: z.number().int().min(1).max(100).optional(),
  /** An explicit position instead of the automatic layout, `y` counted from the top of its row; checked for overlaps and width. */
  gridPos: z
    .strictObject({
      /** Column of the left edge, from 0. */
      x: z.number().int().min(0),
      /** Row of the top edge, from the top of the panel's row. */
      y: z.number().int().min(0),
      /** Width in columns. */
      w: z.number().int(),
      /** Height in grid units. */
      h: z.number().int().min(1),
    })
    .optional(),
});

export const dashboardSchema = z.strictObject({
  /**
   * Stable id in URLs and links, unique in the environment.
   * @default '<system>-<title as a slug>', cut to 40 characters
   */
  uid: dashboardUid.optional(),
  /** The dashboard's title. */
  title: z.string().min(1),
  /** What the dashboard is for. */
  description: z.string().optional(),
  /**
   * Grafana tags, to find it by.
   * @default []
   */
  tags: z.array(z.string().min(1)).default([]),
  /** Rows of panels, in order. */
  rows: z
    .array(
      z.strictObject({
        /** The row's title. */
        title: z.string().min(1),
        /** Its panels, left to right and top to bottom. */
        panels: z.array(panelSchema).min(1),
      }),
    )
    .min(1),
});

export const procedureStepSchema = z.union([
  z.string().min(1),
  z.strictObject({
    /** What to do and why. */
    text: z.string().min(1),
    /**
     * The command per target; `{namespace}`, `{project}` and `{compose}` (the Compose file) are
     * filled in for the environment. A target without a command gets the text alone.
     */
    run: z.strictObject({
      /** On a Kubernetes target (`kubectl -n {namespace} …`). */
      kubernetes: z.string().min(1).optional(),
      /** On a Compose target (`docker compose -f {compose} …`). */
      compose: z.string().min(1).optional(),
      /** On machines running systemd units. */
      hosts: z.string().min(1).optional(),
    }),
  }),
]);

export const procedureSchema = z.strictObject({
  /** File name of the runbook (`rolling-upgrade` → runbooks/rolling-upgrade.md), unique in the environment. */
  name: dnsLabel,
  /** The runbook's title. */
  title: z.string().min(1),
  /** When to follow it. */
  summary: z.string().min(1),
  /** The steps, in order. */
  steps: z.array(procedureStepSchema).min(1),
  /**
   * Panels to watch while following it.
   * @default []
   */
  panels: z.array(panelRefSchema).default([]),
  /**
   * Other procedures it continues with (`rollback`).
   * @default []
   */
  see: z.array(dnsLabel).default([]),
});

export const grafanaSchema = z.strictObject({
  /** Grafana's web address, for links from runbooks to panels (`https://grafana.example.org`). */
  url: z.url(),
  /**
   * The Grafana minor version dashboards are written for; pins `schemaVersion`.
   * @default '11.6'
   */
  version: z.string().regex(/^\d+\.\d+$/, "Grafana's major.minor, e.g. '11.6'").default('11.6'),
  /**
   * Folder the dashboards are filed in.
   * @default the environment name
   */
  folder: z.string().min(1).optional(),
});

export type PanelInput = z.input<typeof panelSchema>;
export type DashboardInput = z.input<typeof dashboardSchema>;
export type ProcedureInput = z.input<typeof procedureSchema>;
