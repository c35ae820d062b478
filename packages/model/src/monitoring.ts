/**
 * The authoring schema of monitoring: metric catalogs (what services and the platform export),
 * alerts with their tests and runbooks, recording rules, SLOs, and an environment's Prometheus and
 * alert routing. Expressions are checked against the catalogs at compile time.
 */
import { z } from 'zod';
import { dnsLabel, labelKey, labelValue } from './checks.js';
import { grafanaSchema, panelRefSchema } from './observability.js';
import { secretRefSchema } from './secret-ref.js';

/** A Prometheus metric or label name. */
export const metricName = z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'a metric name is letters, digits, _ and :, not starting with a digit');
export const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a label name is letters, digits and _, not starting with a digit');

/** A Prometheus duration: `30s`, `5m`, `1h30m`, `28d`. */
export const duration = z
  .string()
  .regex(/^(?!$)(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/, "a Prometheus duration such as '30s', '5m' or '1h30m'");

export const METRIC_TYPES = ['counter', 'gauge', 'histogram', 'summary'] as const;

export const metricSchema = z.strictObject({
  /** The name as exported; a counter's ends in `_total`, a histogram's is the family name without `_bucket`. */
  name: metricName,
  /** Histograms imply `<name>_bucket` (with `le`), `_sum` and `_count`; summaries `quantile`, `_sum` and `_count`. */
  type: z.enum(METRIC_TYPES),
  /** What it measures, as the exporter's HELP line says. */
  help: z.string().min(1),
  /** Base unit (`seconds`, `bytes`, `ratio`), when it has one. */
  unit: z.string().regex(/^[a-z]+$/, "a lower-case unit such as 'seconds' or 'bytes'").optional(),
  /**
   * Labels the exporter puts on the metric: a name, or a name with every value it can take (a
   * matcher on another value is then an error). Prometheus adds `job` and `instance` itself.
   * @default []
   */
  labels: z
    .array(
      z.union([
        labelName,
        z.strictObject({
          /** The label's name. */
          name: labelName,
          /** Every value the label takes. */
          values: z.array(z.string()).min(1),
        }),
      ]),
    )
    .default([]),
});

/** Metrics from one source, declared once and imported wherever it is scraped. */
export const catalogSchema = z.strictObject({
  /** Catalog name (`cadvisor`, `kube-state-metrics`). */
  name: dnsLabel,
  /** Where the metrics come from, with a link to the exporter's documentation. */
  description: z.string().min(1),
  /** The metrics it exports. */
  metrics: z.array(metricSchema).min(1),
});

const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type AlertSeverity = (typeof SEVERITIES)[number];

/** What an on-call engineer reads: the runbook generator renders it, with the alert's facts around it. */
export const runbookSchema = z.strictObject({
  /** What users or the system lose while this fires. */
  impact: z.string().min(1),
  /** Steps to find the cause, in order. */
  diagnosis: z.array(z.string().min(1)).min(1),
  /** Steps that stop the damage, in order. */
  mitigation: z.array(z.string().min(1)).min(1),
  /** Who to call when mitigation does not work. */
  escalation: z.string().min(1).optional(),
  /** The panel that shows the problem; the runbook links to it. */
  panel: panelRefSchema.optional(),
});

export const expectedAlertSchema = z.strictObject({
  /**
   * Labels of the alert beyond its rule's own (`severity` and `labels` are added): the series' labels that survive the expression.
   * @default {}
   */
  labels: z.record(labelName, z.string()).default({}),
  /**
   * Annotations as they read after expansion. When absent, Kiln expands `summary` and
   * `description` itself from the labels and `value`.
   */
  annotations: z.record(labelName, z.string()).optional(),
  /** The expression's value at `at`, for templates that print `$value`. */
  value: z.number().optional(),
});

export const alertTestSchema = z.strictObject({
  /** Case name, unique within the alert; failures are reported with it. */
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a case name is lower-case letters, digits and -'),
  /**
   * Time between input samples.
   * @default '1m'
   */
  interval: duration.default('1m'),
  /** Input series in promtool notation, by series: `{ 'up{job="api",instance="a"}': '1 1 0x10' }`. */
  series: z.record(z.string().min(1), z.string().min(1)),
  /** Time after the start at which alerts are checked (`'10m'`). */
  at: duration,
  /** Alerts firing at `at`; empty for a case that proves the alert stays quiet. */
  expect: z.array(expectedAlertSchema),
});

export const alertSchema = z.strictObject({
  /** Alert name, CamelCase (`HighErrorRate`); unique per severity in the environment. */
  name: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'an alert name is CamelCase letters and digits'),
  /** PromQL; checked against the metric catalogs. */
  expr: z.string().min(1),
  /** How long the condition must hold before the alert fires. */
  for: duration.optional(),
  /** Routes the alert: `critical` pages, `warning` opens a ticket, `info` is for dashboards. */
  severity: z.enum(SEVERITIES),
  /**
   * Extra labels on the alert.
   * @default {}
   */
  labels: z.record(labelName, z.string()).default({}),
  /** One line; Go template, may use `{{ $labels.x }}` for labels that survive the expression, and `{{ $value }}`. */
  summary: z.string().min(1),
  /** More detail; the same template rules as `summary`. */
  description: z.string().min(1),
  /**
   * Platform catalogs the expression needs (`['cadvisor', 'kube-state-metrics']`). An environment
   * whose Prometheus lacks one leaves the alert out, and `kiln explain` shows it gone.
   * @default []
   */
  requires: z.array(dnsLabel).default([]),
  /** The written runbook. Required: an alert nobody knows how to handle is noise. */
  runbook: runbookSchema.optional(),
  /**
   * promtool test cases; required, and at least one must expect the alert to fire.
   * @default []
   */
  tests: z.array(alertTestSchema).default([]),
});

export const recordingRuleSchema = z.strictObject({
  /** `level:metric:operations` (`job:rpc_requests:rate5m`). */
  record: metricName,
  /** PromQL; checked against the metric catalogs. */
  expr: z.string().min(1),
  /**
   * Labels added to the recorded series.
   * @default {}
   */
  labels: z.record(labelName, z.string()).default({}),
  /** Recording rules have no `for`; accepted here only to say so with a clear error. */
  for: duration.optional(),
  /** Why the rule exists when no alert, SLO or other rule of the system uses it (a dashboard, an autoscaler). */
  why: z.string().min(1).optional(),
});

export const sloSchema = z.strictObject({
  /** SLO name, a DNS-1123 label, unique in the environment; the `slo` label of its rules. */
  name: dnsLabel,
  /** The service the SLO is about. */
  service: dnsLabel,
  /** What the SLO promises, in a sentence. */
  description: z.string().min(1),
  /** Target percentage of good events, e.g. 99.9. */
  objective: z.number().gt(0).lt(100),
  /**
   * Rolling window the objective is met over.
   * @default '30d'
   */
  period: z.enum(['28d', '30d']).default('30d'),
  /**
   * The SLI: counter selectors without a range, either bad events (`errors`) or good ones (`good`),
   * over all events (`total`).
   */
  sli: z.union([
    z.strictObject({
      /** Bad events (`http_requests_total{code=~"5.."}`). */
      errors: z.string().min(1),
      /** All events (`http_requests_total`). */
      total: z.string().min(1),
    }),
    z.strictObject({
      /** Good events (`rpc_requests_total{result="ok"}`). */
      good: z.string().min(1),
      /** All events (`http_requests_total`). */
      total: z.string().min(1),
    }),
  ]),
  /**
   * Fewest events in an alert's long window before a burn can alert: a quiet service does not page
   * on one error.
   * @default 100
   */
  minEvents: z.number().int().min(1).default(100),
  /**
   * Severity of the fast-burn (page) and slow-burn (ticket) alerts.
   * @default { page: 'critical', ticket: 'warning' }
   */
  severity: z
    .strictObject({
      /**
       * Severity of the fast-burn alerts.
       * @default 'critical'
       */
      page: z.enum(SEVERITIES).default('critical'),
      /**
       * Severity of the slow-burn alerts.
       * @default 'warning'
       */
      ticket: z.enum(SEVERITIES).default('warning'),
    })
    .default({ page: 'critical', ticket: 'warning' }),
});

export const receiverSchema = z.strictObject({
  /** Receiver name; routes refer to it. */
  name: dnsLabel,
  /** PagerDuty Events API v2; the routing key is a secret. */
  pagerduty: z
    .strictObject({
      /** The integration's routing key, from the secret store. */
      routingKey: secretRefSchema,
    })
    .optional(),
  /** Slack incoming webhook; its URL is a secret. */
  slack: z
    .strictObject({
      /** The webhook's URL, from the secret store. */
      url: secretRefSchema,
      /** The channel posted to (`'#alerts'`). */
      channel: z.string().regex(/^#[a-z0-9_-]+$/, "a Slack channel such as '#alerts'"),
    })
    .optional(),
  /**
   * Any webhook: its URL, and a bearer token from the secret store when it needs one (the URL stays
   * in the configuration: Alertmanager before 0.26 reads webhook URLs only inline).
   */
  webhook: z
    .strictObject({
      /** Where Alertmanager posts. */
      url: z.url(),
      /** A bearer token, from the secret store. */
      token: secretRefSchema.optional(),
    })
    .optional(),
});

export const alertingSchema = z.strictObject({
  /** Where alerts go; a receiver with no integration drops what reaches it. */
  receivers: z.array(receiverSchema).min(1),
  /** Receiver per severity. */
  routes: z.strictObject({
    /** The receiver of critical alerts (pages). */
    critical: dnsLabel,
    /** The receiver of warnings (tickets). */
    warning: dnsLabel,
    /** The receiver of info alerts. */
    info: dnsLabel,
  }),
  /**
   * Labels that group alerts into one notification.
   * @default ['alertname', 'job']
   */
  groupBy: z.array(labelName).default(['alertname', 'job']),
});

export const monitoringSchema = z.strictObject({
  /**
   * How often Prometheus scrapes; rate windows must span at least four scrapes.
   * @default '30s'
   */
  scrapeInterval: duration.default('30s'),
  /**
   * How often rules are evaluated.
   * @default '30s'
   */
  evaluationInterval: duration.default('30s'),
  /**
   * Platform catalogs this environment's Prometheus scrapes besides the services (cAdvisor, kube-state-metrics).
   * @default []
   */
  platform: z.array(catalogSchema).default([]),
  /**
   * Labels on PrometheusRule, ServiceMonitor and AlertmanagerConfig objects, for the operator's selectors.
   * @default {}
   */
  labels: z.record(labelKey, labelValue).default({}),
  /** Alert routing: receivers and which severity goes where. */
  alerting: alertingSchema.optional(),
  /** The environment's Grafana: where runbooks link panels, and the version dashboards are written for. */
  grafana: grafanaSchema.optional(),
  /**
   * Web address of generated/ (`https://github.com/acme/deploy/blob/main/generated`): every alert's
   * runbook_url is this plus `<env>/runbooks/<alert>.md`.
   */
  runbookBaseUrl: z.url().optional(),
});

export type MetricInput = z.input<typeof metricSchema>;
export type CatalogInput = z.input<typeof catalogSchema>;
export type AlertInput = z.input<typeof alertSchema>;
export type RecordingRuleInput = z.input<typeof recordingRuleSchema>;
export type SloInput = z.input<typeof sloSchema>;
export type MonitoringInput = z.input<typeof monitoringSchema>;
