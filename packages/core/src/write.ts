/**
 * The only code that changes generated/. It runs after everything compiled and verified and the
 * plan (tree.ts) found nothing in the way, and touches only files whose bytes change.
 *
 * Every write is journaled (journal.ts): the intent is recorded before the first file changes, new
 * bytes are staged in temporary files beside their targets, a commit record is appended, and only
 * then are the temporaries renamed over their files (no reader ever sees half a file) and old files
 * removed, the manifest last. `repairTree` runs before the next plan and finishes a committed write
 * or rolls back one that was cut off before its commit, so an interrupted run never leaves a mix
 * the manifest does not describe.
 *
 * Every path was looked up without following links (beneath.ts) by the plan, or by the repair
 * itself, before anything here touches it; nothing is ever written, renamed or removed outside generated/.
 */
import { appendFileSync, mkdirSync, readdirSync, renameSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { entry, GENERATED_DIR, generatedObstruction, readText } from './beneath.js';
import type { Entry } from './beneath.js';
import { COMMIT, JOURNAL, journalObstructions, readJournal, renderIntent, stillWriting, temporaryFor } from './journal.js';
import type { Journal } from './journal.js';
import { hash, MANIFEST } from './manifest.js';
import type { TreePlan } from './tree.js';

export interface WriteResult {
  readonly written: readonly string[];
  readonly removed: readonly string[];
}

export function writeTree(root: string, plan: TreePlan): WriteResult {
  if (plan.blocked.length > 0 || plan.interrupted || plan.manifestError !== undefined) throw new Error('writeTree was given a plan that may not be written (report its errors instead)');
  if (plan.changed.length === 0 && plan.removed.length === 0) return { written: [], removed: [] };
  const dir = join(root, GENERATED_DIR);
  const journal: Journal = {
    write: plan.changed.map((path) => ({ path, temporary: temporaryFor(path) })),
    remove: plan.removed.map((path) => ({ path, hash: hash(readText(join(dir, path)) ?? '') })),
  };
  mkdirSync(dir, { recursive: true });
  // 'wx': a journal already there is an interrupted write nobody repaired; never write over it.
  writeFileSync(join(dir, JOURNAL), renderIntent(journal), { flag: 'wx' });
  for (const { path, temporary } of journal.write) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, temporary), plan.files.get(path) ?? '', { flag: 'wx' });
  }
  appendFileSync(join(dir, JOURNAL), `${COMMIT}\n`);
  finish(dir, journal);
  return { written: plan.changed, removed: plan.removed };
}

/**
 * Finishes or rolls back the write a journal in generated/ records, if a run was cut off. Does
 * nothing when the journal cannot be trusted, something blocks a path it names, or the process
 * that wrote it is still running: `planTree` reports why, and nothing is written.
 */
export function repairTree(root: string): 'finished' | 'rolled back' | undefined {
  const dir = join(root, GENERATED_DIR);
  if (generatedObstruction(dir) !== undefined) return undefined;
  const interrupted = readJournal(dir);
  if (interrupted === undefined || interrupted.state === 'unreadable' || stillWriting(interrupted)) return undefined;
  if (journalObstructions(dir, interrupted, new Map<string, Entry>()).length > 0) return undefined;
  if (interrupted.state === 'committed') {
    finish(dir, interrupted.journal);
    return 'finished';
  }
  for (const { temporary } of interrupted.journal.write) {
    if (entry(join(dir, temporary)) === 'file') unlinkSync(join(dir, temporary));
    pruneEmptyDirs(dir, dirname(join(dir, temporary)));
  }
  unlinkSync(join(dir, JOURNAL));
  return 'rolled back';
}

/** Steps 4 and 5 of a write; safe to repeat after being cut off (what is done already is skipped). */
function finish(dir: string, journal: Journal): void {
  const rename = ({ path, temporary }: Journal['write'][number]) => {
    if (entry(join(dir, temporary)) === 'file') renameSync(join(dir, temporary), join(dir, path));
  };
  // The manifest last: it never lists a file whose new bytes are not in place yet.
  journal.write.filter((w) => w.path !== MANIFEST).forEach(rename);
  for (const { path, hash: expected } of journal.remove) {
    const text = readText(join(dir, path));
    // Only the bytes the plan saw: a file changed since is no longer the one Kiln decided to remove.
    if (text === undefined || hash(text) !== expected) continue;
    unlinkSync(join(dir, path));
    pruneEmptyDirs(dir, dirname(join(dir, path)));
  }
  journal.write.filter((w) => w.path === MANIFEST).forEach(rename);
  unlinkSync(join(dir, JOURNAL));
}

/** Removes folders left empty (or never created), up to (not including) generated/ itself. */
function pruneEmptyDirs(top: string, dir: string): void {
  for (let current = dir; current.startsWith(`${top}/`); current = dirname(current)) {
    const kind = entry(current);
    if (kind === 'absent') continue;
    if (kind !== 'directory' || readdirSync(current).length > 0) return;
    rmdirSync(current);
  }
}
