/**
 * The diff of two generated trees, one call per stage: pick the files whose bytes differ → read
 * them as resources → match by identity → pair what is left by likeness (renames) → field changes
 * → sort and count. Pure: two file maps in, a report out.
 */
import { classify } from './classify.js';
import { pairRenames } from './rename.js';
import { OUTPUT_KINDS } from './report.js';
import type { ChangeType, Counts, DiffReport, ResourceChange, SummaryRow } from './report.js';
import { deepEqual, diffTree, listTree } from './tree.js';
import { unitsOf } from './units.js';
import type { Unit } from './units.js';

/** File contents by path relative to generated/. */
export type Files = ReadonlyMap<string, string>;

interface Side {
  readonly environment: string;
  readonly kind: (typeof OUTPUT_KINDS)[number];
  readonly before: Unit[];
  readonly after: Unit[];
}

/**
 * Compares two trees. Files whose text is equal on both sides are never parsed, so either map may
 * leave out files it knows to be unchanged (the CLI leaves out every file whose git blob matches).
 */
export function diffTrees(before: Files, after: Files): DiffReport {
  const changedFiles = [...new Set([...before.keys(), ...after.keys()])].filter((path) => before.get(path) !== after.get(path));
  const sides = new Map<string, Side>();
  for (const path of changedFiles) {
    const { environment, kind } = classify(path);
    const key = `${environment}\u0000${kind}`;
    const side = sides.get(key) ?? { environment, kind, before: [], after: [] };
    sides.set(key, side);
    const old = before.get(path);
    const now = after.get(path);
    if (old !== undefined) side.before.push(...unitsOf(path, old, kind));
    if (now !== undefined) side.after.push(...unitsOf(path, now, kind));
  }
  const resources: ResourceChange[] = [];
  for (const side of sides.values()) resources.push(...compareSide(side));
  // A file whose bytes changed while none of its resources did (a comment, the header, formatting).
  const reported = new Set(resources.flatMap((r) => [r.file, r.previous?.file]));
  for (const path of changedFiles) {
    const old = before.get(path);
    const now = after.get(path);
    if (old === undefined || now === undefined || reported.has(path)) continue;
    const fields = diffTree(old, now, { keyValueText: true });
    if (fields.length === 0) continue;
    const { environment, kind } = classify(path);
    resources.push({ environment, kind, type: 'file', id: path, name: path.slice(path.indexOf('/') + 1) || path, file: path, change: 'changed', fields });
  }
  return summarize(resources);
}

function compareSide({ environment, kind, before, after }: Side): ResourceChange[] {
  const old = new Map(before.map((u) => [u.id, u]));
  const now = new Map(after.map((u) => [u.id, u]));
  const changes: ResourceChange[] = [];
  const base = (unit: Unit, change: ChangeType) => ({ environment, kind, type: unit.type, id: unit.id, name: unit.name, file: unit.file, change });
  for (const unit of after) {
    const previous = old.get(unit.id);
    if (previous === undefined || deepEqual(previous.value, unit.value)) continue;
    const fields = diffTree(previous.value, unit.value, unit.options);
    changes.push({ ...base(unit, 'changed'), ...(previous.file !== unit.file && { previous: { id: previous.id, name: previous.name, file: previous.file } }), fields });
  }
  const removed = before.filter((u) => !now.has(u.id));
  const added = after.filter((u) => !old.has(u.id));
  const renames = pairRenames(removed, added);
  const renamedFrom = new Set(renames.map((r) => r.before));
  const renamedTo = new Set(renames.map((r) => r.after));
  for (const { before: previous, after: unit, similarity } of renames) {
    changes.push({
      ...base(unit, 'renamed'),
      previous: { id: previous.id, name: previous.name, file: previous.file },
      similarity,
      fields: diffTree(previous.value, unit.value, { ...unit.options, rename: { from: previous.ident, to: unit.ident } }),
    });
  }
  for (const unit of added) if (!renamedTo.has(unit)) changes.push({ ...base(unit, 'added'), fields: listTree(unit.value, unit.options) });
  for (const unit of removed) if (!renamedFrom.has(unit)) changes.push({ ...base(unit, 'removed'), fields: [] });
  return changes;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Environments by name, then argocd, then the index. */
function groupRank(environment: string): number {
  return environment === '(index)' ? 2 : environment === 'argocd' ? 1 : 0;
}

function summarize(resources: ResourceChange[]): DiffReport {
  const sorted = resources.sort(
    (a, b) =>
      groupRank(a.environment) - groupRank(b.environment) ||
      compare(a.environment, b.environment) ||
      OUTPUT_KINDS.indexOf(a.kind) - OUTPUT_KINDS.indexOf(b.kind) ||
      compare(a.file, b.file) ||
      compare(a.id, b.id),
  );
  const rows = new Map<string, { environment: string; kind: SummaryRow['kind'] } & Record<ChangeType, number>>();
  const totals: Record<ChangeType, number> = { added: 0, changed: 0, removed: 0, renamed: 0 };
  for (const r of sorted) {
    const key = `${r.environment}\u0000${r.kind}`;
    const row = rows.get(key) ?? { environment: r.environment, kind: r.kind, added: 0, changed: 0, removed: 0, renamed: 0 };
    rows.set(key, row);
    row[r.change]++;
    totals[r.change]++;
  }
  const counts = (c: Record<ChangeType, number>): Counts => ({ added: c.added, changed: c.changed, removed: c.removed, renamed: c.renamed });
  return {
    summary: [...rows.values()].map((row) => ({ environment: row.environment, kind: row.kind, ...counts(row) })),
    resources: sorted,
    totals: counts(totals),
  };
}

