/**
 * What each template may be given, as zod schemas: the templates' contract. Fields are explicit
 * (`null`, never absent) so no template reads a missing key; strict objects catch a builder's typo.
 */
import { z } from 'zod';
import { TARGET_KINDS } from './commands.js';

const text = z.string().min(1);
const segments = z.array(z.union([z.strictObject({ text: z.string() }), z.strictObject({ code: text })])).min(1);
/** A link target Kiln built: a runbook beside this one, a dashboard file or a Grafana URL. */
const href = z.string().regex(/^(https?:\/\/[^\s]+|(\.\.\/)?[A-Za-z0-9_./-]+\.(md|json|conf))$/, 'a relative .md, .json or .conf path, or an http(s) URL');

const panelLink = z.strictObject({
  panel: text,
  dashboard: text,
  uid: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
  id: z.number().int().positive(),
  href,
  grafana: z.boolean(),
});

const targetCommands = z.strictObject({
  kind: z.enum(TARGET_KINDS),
  title: text,
  where: segments,
  services: z.array(z.strictObject({ service: text, about: segments, commands: text.nullable() })),
});

const variant = z
  .strictObject({
    /** `Severity critical` when the runbook covers an alert name at several severities. */
    heading: text.nullable(),
    /** The level of the variant's section headings: 3 under a variant heading, else 2. */
    level: z.union([z.literal(2), z.literal(3)]),
    severity: z.enum(['critical', 'warning', 'info']),
    summary: text,
    description: text,
    slo: segments.nullable(),
    condition: segments,
    labels: segments.nullable(),
    expr: text,
    impact: text,
    diagnosis: z.array(text).min(1),
    mitigation: z.array(text).min(1),
    escalation: text.nullable(),
    panel: panelLink.nullable(),
  })
  .refine((v) => (v.heading === null) === (v.level === 2), { message: 'a variant with a heading has level 3 sections, one without level 2', path: ['level'] });

export const alertContext = z.strictObject({
  name: z.string().regex(/^[A-Z][A-Za-z0-9]*$/),
  intro: segments,
  variants: z.array(variant).min(1),
  commands: z.array(targetCommands),
  index: href,
});
export type AlertContext = z.input<typeof alertContext>;

export const procedureContext = z.strictObject({
  title: text,
  summary: text,
  steps: z
    .array(
      z.strictObject({
        number: z.number().int().positive(),
        text,
        /** One command per target of the environment that has one; a title when there are several. */
        runs: z.array(z.strictObject({ title: text.nullable(), command: text })),
        /** Spaces that put a block inside the list item: the width of `N. `. */
        indent: z.number().int().min(3),
      }),
    )
    .min(1),
  panels: z.array(panelLink),
  see: z.array(z.strictObject({ title: text, href })),
  index: href,
});
export type ProcedureContext = z.input<typeof procedureContext>;

const alertRow = z.strictObject({ name: text, href, system: text, summary: text });

export const indexContext = z.strictObject({
  environment: text,
  description: text.nullable(),
  facts: segments,
  severities: z.array(z.strictObject({ title: text, alerts: z.array(alertRow).min(1) })),
  procedures: z.array(z.strictObject({ title: text, href, system: text, summary: text })),
  /** The host tuning runbook, when the environment has one. */
  hostTuning: href.nullable(),
  diagram: text,
  services: z.array(z.strictObject({ name: text, system: text, kind: text, ports: text })).min(1),
  flows: z.array(z.strictObject({ from: text, to: text, port: text })),
  entryPoints: z.array(z.strictObject({ service: text, port: text })),
  /** Endpoints outside the environment: where this environment finds them, their ports and flows. */
  externals: z.array(z.strictObject({ name: text, where: text, ports: text, flows: text })),
  /** Per service: the signal it drains on, how each target sends it, the grace period. */
  stops: z.array(z.strictObject({ service: text, signal: text, sent: segments, grace: text })).min(1),
  /** Per target: who restarts what crashed. */
  restarts: z.array(segments).min(1),
  /** Per secret and service with a rotation mode: how the new value reaches it. */
  rotations: z.array(z.strictObject({ secret: text, service: text, mode: z.enum(['reload', 'restart']), how: segments })),
});
export type IndexContext = z.input<typeof indexContext>;

/** One setting of one service as a row: where it landed and why. */
const settingRow = z.strictObject({ setting: segments, value: segments, placed: segments, why: text });
/** Shell lines that read the settings back, with a title saying where they run. */
const check = z.strictObject({ title: segments, commands: text });

export const hostTuningContext = z.strictObject({
  environment: text,
  intro: segments,
  /** Kubernetes pods with a need, each with its settings, how it is placed and how to check. */
  kubernetes: z
    .strictObject({
      where: segments,
      pods: z.array(z.strictObject({ service: text, placement: z.array(segments).min(1), settings: z.array(settingRow).min(1), check })).min(1),
    })
    .nullable(),
  compose: z
    .strictObject({
      where: segments,
      containers: z.array(z.strictObject({ service: text, placement: segments, settings: z.array(settingRow).min(1), check })).min(1),
    })
    .nullable(),
  profiles: z.array(
    z.strictObject({
      name: text,
      appliesTo: z.array(text).min(1),
      files: z.array(z.strictObject({ title: text, href, install: segments })).min(1),
      sysctls: z.array(z.strictObject({ key: segments, value: segments, service: text.nullable(), why: text })),
      limits: z.array(z.strictObject({ domain: segments, item: segments, soft: text, hard: text, service: text, why: text })),
      /** The container runtime's default limits on the profile's nodes. */
      runtimeLimits: z.array(z.strictObject({ item: segments, soft: text, hard: text, service: text, why: text })),
      notes: z.array(segments),
      checks: z.array(check).min(1),
    }),
  ),
  units: z.array(
    z.strictObject({
      unit: text,
      machines: segments,
      file: z.strictObject({ title: text, href }),
      /** What the drop-in sets besides limits: restarts, the stop signal and timeout. */
      lifecycle: segments,
      limits: z.array(z.strictObject({ item: segments, soft: text, hard: text, directive: segments, why: text })),
      check,
    }),
  ),
  accepted: z.array(z.strictObject({ service: text, need: segments, why: text })),
  index: href,
});
export type HostTuningContext = z.input<typeof hostTuningContext>;
export type SettingRow = z.input<typeof settingRow>;
