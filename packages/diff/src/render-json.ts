/** The diff for tools: the `DiffDocument` shape (see report.ts), as indented JSON. */
import type { BaseRevision } from './render-text.js';
import type { DiffDocument, DiffReport } from './report.js';

export function toDocument(report: DiffReport, base: BaseRevision): DiffDocument {
  return {
    schema: 'kiln.dev/diff/v1',
    base: { ref: base.ref, commit: base.commit },
    head: 'working-tree',
    changed: report.resources.length > 0,
    totals: report.totals,
    summary: report.summary,
    resources: report.resources,
  };
}

export function renderJson(report: DiffReport, base: BaseRevision): string {
  return `${JSON.stringify(toDocument(report, base), null, 2)}\n`;
}
