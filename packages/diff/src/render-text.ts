/** The diff for people at a terminal, and the lines every format shares for one resource. */
import type { Counts, DiffReport, FieldChange, ResourceChange } from './report.js';

export interface BaseRevision {
  /** The ref as given (`HEAD`, `origin/main`). */
  readonly ref: string;
  /** The commit it names. */
  readonly commit: string;
}

export interface RenderOptions {
  /** What the working tree was compared with; named in the heading. */
  readonly base?: BaseRevision;
}

/** `3 added, 1 changed, 0 removed, 1 renamed`. */
export function describeCounts(counts: Counts): string {
  return `${counts.added} added, ${counts.changed} changed, ${counts.removed} removed, ${counts.renamed} renamed`;
}

export function comparedWith(base: BaseRevision | undefined): string {
  return base === undefined ? 'the base revision' : `${base.ref} (${base.commit.slice(0, 12)})`;
}

/** One field change as lines: `  spec.replicas: 3 → 5`, `+ path: value`, `- path: value`, or a path and its line diff. */
export function fieldLines(field: FieldChange): string[] {
  const path = field.path === '' ? '(content)' : field.path;
  if (field.lines !== undefined) return [`  ${path}:`, ...field.lines.map((line) => `    ${line}`)];
  if (field.before !== undefined && field.after !== undefined) return [`  ${path}: ${field.before} → ${field.after}`];
  if (field.after !== undefined) return [`+ ${path}: ${field.after}`];
  return [`- ${path}: ${field.before ?? ''}`];
}

/** The heading of one resource change: `changed Deployment shop/api`, `renamed Deployment shop/web → shop/storefront (96% alike)`. */
export function resourceTitle(resource: ResourceChange): string {
  if (resource.change === 'renamed' && resource.previous) {
    return `renamed ${resource.previous.name} → ${resource.name} (${Math.round((resource.similarity ?? 0) * 100)}% alike)`;
  }
  return `${resource.change} ${resource.name}`;
}

/** The body of one resource change: where it is, then its fields. */
export function resourceBody(resource: ResourceChange): string[] {
  const moved = resource.previous && resource.previous.file !== resource.file ? `file: ${resource.previous.file} → ${resource.file}` : `file: ${resource.file}`;
  return [moved, ...resource.fields.flatMap(fieldLines)];
}

export function renderText(report: DiffReport, options: RenderOptions = {}): string {
  const out: string[] = [];
  if (report.resources.length === 0) return `No changes to generated/ against ${comparedWith(options.base)}.\n`;
  out.push(`Generated output against ${comparedWith(options.base)}: ${describeCounts(report.totals)}`);
  let environment: string | undefined;
  let kind: string | undefined;
  for (const resource of report.resources) {
    if (resource.environment !== environment) {
      environment = resource.environment;
      kind = undefined;
      out.push('', environment);
    }
    if (resource.kind !== kind) {
      kind = resource.kind;
      out.push(`  ${kind}`);
    }
    const [where, ...fields] = resourceBody(resource);
    out.push(`    ${resourceTitle(resource)}  (${where})`);
    for (const line of fields) out.push(`      ${line}`);
  }
  return `${out.join('\n')}\n`;
}
