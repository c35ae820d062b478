/**
 * The generated/ tree on disk, seen through the manifest: what Kiln owns, what it would write,
 * and how the disk differs. `write` and `check` share this one plan.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { compareText } from '@kiln/model';
import type { Compilation } from './compile.js';
import { hash, MANIFEST, parseManifest, renderManifest } from './manifest.js';

export const GENERATED_DIR = 'generated';

export interface TreePlan {
  /** Every file that should exist (owned by this run), manifest included, sorted by path. */
  readonly files: ReadonlyMap<string, string>;
  /** Files to create or rewrite: absent, or different bytes on disk. */
  readonly changed: readonly string[];
  /** Files Kiln wrote before and produces no longer: to remove. */
  readonly removed: readonly string[];
  /** Files whose disk bytes differ from what Kiln last wrote: edited by hand. */
  readonly handEdited: readonly string[];
  /** Files that should be written but are absent. */
  readonly missing: readonly string[];
  /** Files that exist where Kiln would write, but that Kiln never wrote. */
  readonly foreign: readonly string[];
  /** Other files in generated/ that Kiln neither wrote nor produces (left alone, but reported). */
  readonly unknown: readonly string[];
}

export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
    throw error;
  }
}

/** Every file below a folder, relative to it with forward slashes, sorted; none if it is absent. */
function listFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort(compareText);
}

export function planTree(root: string, compilation: Compilation): TreePlan {
  const dir = join(root, GENERATED_DIR);
  const previous = parseManifest(readText(join(dir, MANIFEST)));
  const owned = Object.keys(previous.files);

  // Files other (unselected) environments own stay in the manifest untouched.
  const kept = Object.fromEntries(owned.filter((path) => !compilation.owns(path)).map((path) => [path, previous.files[path] ?? '']));
  const files = new Map(compilation.files);
  files.set(MANIFEST, renderManifest({ ...kept, ...Object.fromEntries([...compilation.files].map(([path, content]) => [path, hash(content)])) }));

  const changed: string[] = [];
  const missing: string[] = [];
  const handEdited: string[] = [];
  const foreign: string[] = [];
  for (const [path, content] of files) {
    const disk = readText(join(dir, path));
    if (disk === content) continue;
    changed.push(path);
    if (disk === undefined) {
      missing.push(path);
    } else if (path !== MANIFEST) {
      const recorded = previous.files[path];
      if (recorded === undefined) foreign.push(path);
      else if (recorded !== hash(disk)) handEdited.push(path);
    }
  }
  const removed = owned.filter((path) => compilation.owns(path) && !files.has(path) && readText(join(dir, path)) !== undefined);
  for (const path of removed) {
    const recorded = previous.files[path];
    const disk = readText(join(dir, path));
    if (disk !== undefined && recorded !== hash(disk)) handEdited.push(path);
  }
  const unknown = listFiles(dir).filter((path) => compilation.owns(path) && !files.has(path) && previous.files[path] === undefined);
  return {
    files: new Map([...files].sort(([a], [b]) => compareText(a, b))),
    unknown,
    changed: changed.sort(compareText),
    removed: removed.sort(compareText),
    handEdited: handEdited.sort(compareText),
    missing: missing.sort(compareText),
    foreign: foreign.sort(compareText),
  };
}
