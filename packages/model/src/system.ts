/** The authoring schema of a system: services and the flows between them, defined once. */
import { z } from 'zod';
import { dnsLabel, portName } from './checks.js';
import { alertSchema, recordingRuleSchema, sloSchema } from './monitoring.js';
import { dashboardSchema, procedureSchema } from './observability.js';
import { portSchema, serviceSchema } from './service.js';

export const flowSchema = z.strictObject({
  /** The calling service, or an external endpoint that calls in (clients outside the environment). */
  from: dnsLabel,
  /** The service called, or an external endpoint the service calls out to. */
  to: dnsLabel,
  /** The port (by name, on `to`) the call uses. */
  port: portName,
});

/**
 * Something outside the environment its services talk to: a tracing collector, a managed database,
 * peers on the internet, or clients that call in. Declared once here, with flows to or from it;
 * each environment says where it is (`externals` of the environment).
 */
export const externalSchema = z.strictObject({
  /** Name, a DNS-1123 label, unique among the environment's services and externals; flows name it. */
  name: dnsLabel,
  /** One line on what it is; shown in runbooks. */
  description: z.string().optional(),
  /**
   * The ports it serves, for flows to it; clients that only call in have none.
   * @default []
   */
  ports: z.array(portSchema.pick({ name: true, port: true, protocol: true })).default([]),
});

export const systemSchema = z.strictObject({
  /** System name, a DNS-1123 label; labels objects as `app.kubernetes.io/part-of`. */
  name: dnsLabel,
  /** One line on what the system does; shown in generated indexes. */
  description: z.string().optional(),
  /** The services, each defined once here; environments override per environment. */
  services: z.array(serviceSchema).min(1),
  /**
   * Who may talk to whom, on which port; everything else is denied.
   * @default []
   */
  flows: z.array(flowSchema).default([]),
  /**
   * Endpoints outside the environment that flows go to or come from; every environment binds each.
   * @default []
   */
  externals: z.array(externalSchema).default([]),
  /**
   * Alerts on the system's metrics, each with a runbook and promtool test cases.
   * @default []
   */
  alerts: z.array(alertSchema).default([]),
  /**
   * Recording rules: precomputed series for alerts, dashboards and autoscalers.
   * @default []
   */
  recordingRules: z.array(recordingRuleSchema).default([]),
  /**
   * Service level objectives; each compiles into recording rules, burn-rate alerts, runbooks and tests.
   * @default []
   */
  slos: z.array(sloSchema).default([]),
  /**
   * Grafana dashboards, laid out automatically and checked like alerts.
   * @default []
   */
  dashboards: z.array(dashboardSchema).default([]),
  /**
   * Operational procedures (upgrades, restores, rollbacks), each rendered as a runbook.
   * @default []
   */
  procedures: z.array(procedureSchema).default([]),
});

export type SystemInput = z.input<typeof systemSchema>;
export type FlowInput = z.input<typeof flowSchema>;
export type ExternalInput = z.input<typeof externalSchema>;
