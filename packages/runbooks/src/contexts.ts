/**
 * What each template may be given, as zod schemas: the templates' contract. Fields are explicit
 * (`null`, never absent) so no template reads a missing key; strict objects catch a builder's typo.
 */
import { z } from 'zod';
import { TARGET_KINDS } from './commands.js';

const text = z.string().min(1);
const segments = z.array(z.union([z.strictObject({ text: z.string() }), z.strictObject({ code: text })])).min(1);
/** A link target Kiln built: a runbook beside this one, a dashboard file or a Grafana URL. */
const href = z.string().regex(/^(https?:\/\/[^\s]+|(\.\.\/)?[A-Za-z0-9_./-]+\.(md|json))$/, 'a relative .md or .json path, or an http(s) URL');

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
  diagram: text,
  services: z.array(z.strictObject({ name: text, system: text, kind: text, ports: text })).min(1),
  flows: z.array(z.strictObject({ from: text, to: text, port: text })),
  entryPoints: z.array(z.strictObject({ service: text, port: text })),
});
export type IndexContext = z.input<typeof indexContext>;
