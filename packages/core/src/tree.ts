/**
 * The generated/ tree on disk, seen through the manifest and the journal: what Kiln owns, what it
 * would write and remove, and how the disk differs. `write` and `check` share this one plan;
 * everything that could stop a write is found here, before the first byte is written: a folder,
 * link or special file where a file goes or where Kiln's file was, a link or file where a folder is
 * needed (every path is looked up from generated/ down without following links, generated/ itself
 * included: beneath.ts), a file Kiln never wrote, a manifest or journal it cannot trust, and a
 * write that was cut off and not yet repaired (journal.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { compareText } from '@kiln/model';
import { describeEntry, GENERATED_DIR, generatedObstruction, lookup, readText } from './beneath.js';
import type { Blocked, Entry } from './beneath.js';
import type { Compilation } from './compile.js';
import { JOURNAL, journalObstructions, readJournal, stillWriting } from './journal.js';
import { hash, MANIFEST, parseManifest, renderManifest } from './manifest.js';
import type { EnvironmentProvenance, Manifest } from './manifest.js';

export interface TreePlan {
  /** Every file that should exist (owned by this run), manifest included, sorted by path. */
  readonly files: ReadonlyMap<string, string>;
  /** Files to create or rewrite: absent, or different bytes on disk. */
  readonly changed: readonly string[];
  /** Files Kiln wrote before and produces no longer: to remove. */
  readonly removed: readonly string[];
  /** Files whose disk bytes differ from what Kiln last wrote: edited by hand. */
  readonly handEdited: readonly string[];
  /**
   * The bytes on disk of each changed file Kiln wrote before, by path: what the new bytes replace.
   * A hand-edited file is taken as it is now, since that is what was committed for Argo CD to sync.
   */
  readonly before: ReadonlyMap<string, string>;
  /** Files that should be written but are absent. */
  readonly missing: readonly string[];
  /**
   * Where Kiln must write or remove but may not: a file it never wrote, a folder, a link, a file
   * where a folder goes, a linked generated/ ('' is generated/ itself). Nothing is written while any exists.
   */
  readonly blocked: readonly Blocked[];
  /** Other files and links in generated/ that Kiln neither wrote nor produces (left alone, but reported). */
  readonly unknown: readonly string[];
  /** Provenance by environment name, as the manifest records it after this run. */
  readonly environments: Readonly<Record<string, EnvironmentProvenance>>;
  /** Why the manifest cannot be trusted, if it cannot. */
  readonly manifestError?: string;
  /** The manifest holds git's conflict markers: read as both sides together, or (with manifestError) unreadable. */
  readonly manifestConflict?: boolean;
  /**
   * A write was cut off and not yet repaired: `repairTree` rolls it back (staged) or finishes it
   * (committed); or another `kiln generate` is writing right now (running).
   */
  readonly interrupted?: 'staged' | 'committed' | 'running';
  /** Why the journal of an interrupted write cannot be trusted, if it cannot (then nothing repairs it). */
  readonly journalError?: string;
}

/** Every file and link below a folder (links are not followed), relative with forward slashes, sorted. */
function listEntries(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => !e.isDirectory())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort(compareText);
}

/** The files this run should leave in generated/, the manifest among them, and the provenance it records. */
function plannedFiles(previous: Manifest, compilation: Compilation) {
  // Files other (unselected) environments own stay in the manifest untouched.
  const kept = Object.fromEntries(Object.keys(previous.files).filter((path) => !compilation.owns(path)).map((path) => [path, previous.files[path] ?? '']));
  const files = new Map(compilation.files);
  // Likewise their provenance: it describes the files in their folders, which this run leaves alone.
  const owner = (name: string) => compilation.owns(`${name}/`);
  const environments = {
    ...Object.fromEntries(Object.entries(previous.environments).filter(([name]) => !owner(name))),
    ...Object.fromEntries(Object.entries(compilation.provenance).filter(([name]) => owner(name))),
  };
  const hashes = { ...kept, ...Object.fromEntries([...compilation.files].map(([path, content]) => [path, hash(content)])) };
  files.set(MANIFEST, renderManifest({ ...(compilation.version === undefined ? {} : { kiln: compilation.version }), environments, files: hashes }));
  return { files: new Map([...files].sort(([a], [b]) => compareText(a, b))), environments };
}

export function planTree(root: string, compilation: Compilation): TreePlan {
  const dir = join(root, GENERATED_DIR);
  const linked = generatedObstruction(dir);
  // Through a linked generated/ nothing is read either: the manifest there is no manifest of this repository.
  const previous = parseManifest(linked === undefined ? readText(join(dir, MANIFEST)) : undefined);
  const { files, environments } = plannedFiles(previous, compilation);
  const nothing = { changed: [], removed: [], handEdited: [], missing: [], unknown: [], before: new Map<string, string>() };
  if (linked !== undefined) return { files, environments, ...nothing, blocked: [{ path: '', reason: linked }] };

  const changed: string[] = [];
  const missing: string[] = [];
  const handEdited: string[] = [];
  const before = new Map<string, string>();
  const blocked: Blocked[] = [];
  const folders = new Map<string, Entry>();
  const interrupted = readJournal(dir);
  // Files git merged from two sides match neither side's hash: that is no hand edit.
  const merged = new Set(previous.conflict?.merged);
  const editedByHand = (path: string, disk: string) => previous.files[path] !== hash(disk) && !merged.has(path);
  if (interrupted) blocked.push(...journalObstructions(dir, interrupted, folders));
  for (const [path, content] of files) {
    const { kind, obstacle } = lookup(dir, path, folders);
    if (obstacle !== undefined || (kind !== 'file' && kind !== 'absent')) {
      blocked.push(obstacle ?? { path, reason: `${describeEntry(kind)} stands where Kiln writes a file` });
      continue;
    }
    const disk = kind === 'file' ? readFileSync(join(dir, path), 'utf8') : undefined;
    if (disk === content) continue;
    changed.push(path);
    if (disk === undefined) {
      missing.push(path);
    } else if (path !== MANIFEST) {
      const recorded = previous.files[path];
      if (recorded === undefined) blocked.push({ path, reason: 'this file is where Kiln writes, but Kiln did not write it' });
      else {
        before.set(path, disk);
        if (editedByHand(path, disk)) handEdited.push(path);
      }
    }
  }
  const removed: string[] = [];
  for (const path of Object.keys(previous.files).filter((p) => compilation.owns(p) && !files.has(p))) {
    const { kind, obstacle } = lookup(dir, path, folders);
    if (obstacle !== undefined || (kind !== 'file' && kind !== 'absent')) {
      blocked.push(obstacle ?? { path, reason: `${describeEntry(kind)} stands where Kiln's file was, which it would remove` });
    } else if (kind === 'file') {
      removed.push(path);
      if (editedByHand(path, readFileSync(join(dir, path), 'utf8'))) handEdited.push(path);
    }
  }
  // The journal and the temporary files it names are Kiln's, however the run that made them ended.
  const journaled = new Set([JOURNAL, ...(interrupted?.state === 'unreadable' ? [] : (interrupted?.journal.write.map((w) => w.temporary) ?? []))]);
  const reserved = (path: string) => journaled.has(path) || compilation.reserved.some((prefix) => (prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix));
  const unknown = listEntries(dir).filter((path) => compilation.owns(path) && !files.has(path) && previous.files[path] === undefined && !reserved(path));
  return {
    files,
    changed: changed.sort(compareText),
    removed: removed.sort(compareText),
    handEdited: handEdited.sort(compareText),
    before,
    missing: missing.sort(compareText),
    // A link in place of a folder blocks every file below it: it is reported once.
    blocked: [...new Map(blocked.map((b) => [b.path, b])).values()].sort((a, b) => compareText(a.path, b.path)),
    unknown,
    environments,
    ...(previous.error === undefined ? {} : { manifestError: previous.error }),
    ...(previous.conflict === undefined ? {} : { manifestConflict: true }),
    ...(interrupted === undefined ? {} : interrupted.state === 'unreadable' ? { journalError: interrupted.error } : { interrupted: stillWriting(interrupted) ? 'running' : interrupted.state }),
  };
}
