/**
 * Paths inside generated/, resolved beneath it without following a symbolic link anywhere (what
 * openat2's RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS does in the kernel; Node has no such call). Each
 * folder on the way is looked at with lstat from generated/ down, so a link planted in generated/
 * (or generated/ itself being one) can never send a write, a rename or a removal somewhere else.
 *
 * generated/ must be a real folder: git commits a link as a link, never as the files behind it, so
 * a linked generated/ is never what Argo CD and reviewers read. Kiln refuses it rather than follow it.
 */
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_DIR } from './layout.js';

export { GENERATED_DIR };

/** Something standing where Kiln must write, rename or remove (paths relative to generated/, '' for generated/ itself). */
export interface Blocked {
  readonly path: string;
  readonly reason: string;
}

export type Entry = 'absent' | 'file' | 'directory' | 'link' | 'other';

/** What is at `path`, the last component not followed (its parents are, so check them first). */
export function entry(path: string): Entry {
  try {
    const stat = lstatSync(path);
    return stat.isSymbolicLink() ? 'link' : stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'absent';
    throw error;
  }
}

const NAMES: Record<Entry, string> = { absent: 'nothing', file: 'a file', directory: 'a folder', link: 'a symbolic link', other: 'a special file' };

/** Says what an entry is, for a diagnostic: `a symbolic link`, `a folder`. */
export function describeEntry(kind: Entry): string {
  return NAMES[kind];
}

/** Why generated/ itself cannot be written through, if it cannot: it must be absent or a real folder. */
export function generatedObstruction(dir: string): string | undefined {
  const kind = entry(dir);
  if (kind === 'absent' || kind === 'directory') return undefined;
  return `${GENERATED_DIR}/ is ${describeEntry(kind)}, not a folder: Kiln writes only into a real generated/ folder inside the repository, never through a link`;
}

export interface Lookup {
  /** What the last component is; `absent` too when a parent is absent. */
  readonly kind: Entry;
  /** The parent that is a link, a file or anything but a folder, if one is: nothing may be done at this path. */
  readonly obstacle?: Blocked;
}

/**
 * Looks `path` (relative to `dir`, which the caller has checked with `generatedObstruction`) up one
 * folder at a time. `folders` remembers what each folder was found to be: thousands of files share
 * a few folders, and checking in order from the top means every lstat sees only real folders above it.
 */
export function lookup(dir: string, path: string, folders: Map<string, Entry>): Lookup {
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) {
    const parent = segments.slice(0, i).join('/');
    const kind = folders.get(parent) ?? entry(join(dir, parent));
    folders.set(parent, kind);
    if (kind === 'absent') return { kind: 'absent' };
    if (kind !== 'directory') return { kind, obstacle: { path: parent, reason: `${GENERATED_DIR}/${parent} is ${describeEntry(kind)} where Kiln needs a folder` } };
  }
  return { kind: entry(join(dir, path)) };
}

/** The text of a regular file; undefined when there is none (a link or folder is not read). Parents are the caller's to check. */
export function readText(path: string): string | undefined {
  return entry(path) === 'file' ? readFileSync(path, 'utf8') : undefined;
}
