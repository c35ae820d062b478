/** The resolved monitoring model: the validated input as it is, read-only. */
import type { z } from 'zod';
import type { dashboardSchema, procedureSchema } from './observability.js';
import type { alertSchema, alertTestSchema, catalogSchema, metricSchema, monitoringSchema, receiverSchema, recordingRuleSchema, sloSchema } from './monitoring.js';

type Frozen<T> = T extends readonly (infer U)[] ? readonly Frozen<U>[] : T extends object ? { readonly [K in keyof T]: Frozen<T[K]> } : T;

export type Metric = Frozen<z.output<typeof metricSchema>>;
export type Catalog = Frozen<z.output<typeof catalogSchema>>;
/** An alert as emitters see it: with its runbook (the rules require one), and the SLO that made it, if any. */
export type Alert = Frozen<Omit<z.output<typeof alertSchema>, 'runbook'> & { runbook: NonNullable<z.output<typeof alertSchema>['runbook']> }> & { readonly slo?: string };
export type AlertTest = Frozen<z.output<typeof alertTestSchema>>;
export type RecordingRule = Frozen<z.output<typeof recordingRuleSchema>>;
export type Slo = Frozen<z.output<typeof sloSchema>>;
export type Receiver = Frozen<z.output<typeof receiverSchema>>;
export type Monitoring = Frozen<z.output<typeof monitoringSchema>>;
export type Dashboard = Frozen<z.output<typeof dashboardSchema>> & { readonly uid: string };
export type Panel = Dashboard['rows'][number]['panels'][number];
export type Procedure = Frozen<z.output<typeof procedureSchema>>;
