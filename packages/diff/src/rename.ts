/**
 * Renames: a removed and an added resource of one type whose content is alike once their own
 * names are set aside (a renamed Deployment carries its name in labels, selectors and container
 * names too). Likeness is the Dice coefficient of their `path=value` leaves; pairs are taken best
 * first, each resource at most once.
 */
import type { Unit } from './units.js';

/** How alike two resources must be to count as one renamed. */
export const RENAME_THRESHOLD = 0.6;

export interface Rename {
  readonly before: Unit;
  readonly after: Unit;
  /** 0–1, rounded to two decimals. */
  readonly similarity: number;
}

const PLACEHOLDER = '\u0000';

function leaves(value: unknown, path: string, out: string[]): void {
  if (Array.isArray(value)) value.forEach((item, i) => leaves(item, `${path}[${i}]`, out));
  else if (typeof value === 'object' && value !== null) for (const [key, child] of Object.entries(value)) leaves(child, `${path}.${key}`, out);
  else if (typeof value === 'string' && value.includes('\n')) for (const line of value.split('\n')) out.push(`${path}:${line}`);
  else out.push(`${path}=${JSON.stringify(value)}`);
}

/** A unit's leaves with both names of a candidate pair set aside (an image `acme/web:1` keeps its name through a rename), counted. */
function features(leafList: readonly string[], idents: readonly string[]): Map<string, number> {
  const names = idents.filter((ident) => ident.length >= 2).sort((a, b) => b.length - a.length);
  const counts = new Map<string, number>();
  for (const leaf of leafList) {
    const neutral = names.reduce((text, name) => text.split(name).join(PLACEHOLDER), leaf);
    counts.set(neutral, (counts.get(neutral) ?? 0) + 1);
  }
  return counts;
}

function dice(a: Map<string, number>, b: Map<string, number>): number {
  let sizeA = 0;
  let sizeB = 0;
  let common = 0;
  for (const count of a.values()) sizeA += count;
  for (const [leaf, count] of b) {
    sizeB += count;
    common += Math.min(count, a.get(leaf) ?? 0);
  }
  return sizeA + sizeB === 0 ? 0 : (2 * common) / (sizeA + sizeB);
}

export function pairRenames(removed: readonly Unit[], added: readonly Unit[]): Rename[] {
  if (removed.length === 0 || added.length === 0) return [];
  const leavesOf = new Map<Unit, string[]>();
  const leafList = (unit: Unit) => {
    const known = leavesOf.get(unit);
    if (known) return known;
    const out: string[] = [];
    leaves(unit.value, '', out);
    leavesOf.set(unit, out);
    return out;
  };
  const candidates: Rename[] = [];
  for (const before of removed) {
    for (const after of added) {
      if (after.type !== before.type) continue;
      const idents = [before.ident, after.ident];
      const similarity = dice(features(leafList(before), idents), features(leafList(after), idents));
      if (similarity >= RENAME_THRESHOLD) candidates.push({ before, after, similarity });
    }
  }
  // Best first; ties by id, so the result never depends on the input's order.
  candidates.sort((x, y) => y.similarity - x.similarity || (x.before.id < y.before.id ? -1 : x.before.id > y.before.id ? 1 : x.after.id < y.after.id ? -1 : x.after.id > y.after.id ? 1 : 0));
  const taken = new Set<Unit>();
  const renames: Rename[] = [];
  for (const candidate of candidates) {
    if (taken.has(candidate.before) || taken.has(candidate.after)) continue;
    taken.add(candidate.before);
    taken.add(candidate.after);
    renames.push({ ...candidate, similarity: Math.round(candidate.similarity * 100) / 100 });
  }
  return renames;
}
