/**
 * The only code that changes generated/. It runs after everything compiled and verified, and
 * touches only files whose bytes change: each is written to a temporary file beside it and renamed
 * over the old one, so no reader ever sees half a file.
 */
import { mkdirSync, readdirSync, renameSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TreePlan } from './tree.js';
import { GENERATED_DIR } from './tree.js';
import { MANIFEST } from './manifest.js';

export interface WriteResult {
  readonly written: readonly string[];
  readonly removed: readonly string[];
}

export function writeTree(root: string, plan: TreePlan): WriteResult {
  const dir = join(root, GENERATED_DIR);
  // The manifest goes last: if anything before it fails, the old manifest still describes the tree.
  const order = [...plan.changed.filter((path) => path !== MANIFEST), ...plan.changed.filter((path) => path === MANIFEST)];
  const manifestLast = order.includes(MANIFEST);
  for (const path of order) {
    if (path === MANIFEST && manifestLast) continue;
    writeAtomic(join(dir, path), plan.files.get(path) ?? '');
  }
  for (const path of plan.removed) {
    unlinkSync(join(dir, path));
    pruneEmptyDirs(dir, dirname(join(dir, path)));
  }
  if (manifestLast) writeAtomic(join(dir, MANIFEST), plan.files.get(MANIFEST) ?? '');
  // Temporary files of an earlier, interrupted write: ours by name, and never a finished file.
  for (const path of plan.leftovers) unlinkSync(join(dir, path));
  return { written: plan.changed, removed: plan.removed };
}

function writeAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${path.slice(dirname(path).length + 1)}.kiln-${process.pid}.tmp`);
  writeFileSync(temporary, content, 'utf8');
  renameSync(temporary, path);
}

/** Removes directories left empty, up to (not including) generated/ itself. */
function pruneEmptyDirs(top: string, dir: string): void {
  let current = dir;
  while (current.startsWith(top) && current !== top) {
    if (readdirSync(current).length > 0) return;
    rmdirSync(current);
    current = dirname(current);
  }
}
