/**
 * The generated/ tree on disk, seen through the manifest: what Kiln owns, what it would write,
 * and how the disk differs. `write` and `check` share this one plan; everything that could stop a
 * write (a folder or a link where a file goes, a file Kiln never wrote) is found here, before the
 * first byte is written.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { compareText } from '@kiln/model';
import type { Compilation } from './compile.js';
import { hash, MANIFEST, parseManifest, renderManifest } from './manifest.js';
import type { EnvironmentProvenance } from './manifest.js';

export const GENERATED_DIR = 'generated';

/** Temporary files the writer makes beside their targets; left over only if a write was cut off. */
export const TEMPORARY = /(^|\/)\.[^/]+\.kiln-\d+\.tmp$/;

export interface Blocked {
  readonly path: string;
  readonly reason: string;
}

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
  /** Where Kiln must write but may not: a file it never wrote, a folder, a link. Nothing is written while any exists. */
  readonly blocked: readonly Blocked[];
  /** Other files and links in generated/ that Kiln neither wrote nor produces (left alone, but reported). */
  readonly unknown: readonly string[];
  /** Temporary files of an interrupted write, which the next write removes. */
  readonly leftovers: readonly string[];
  /** Provenance by environment name, as the manifest records it after this run. */
  readonly environments: Readonly<Record<string, EnvironmentProvenance>>;
  /** Why the manifest cannot be trusted, if it cannot. */
  readonly manifestError?: string;
}

type Entry = 'absent' | 'file' | 'directory' | 'link' | 'other';

function entry(path: string): Entry {
  try {
    const stat = lstatSync(path);
    return stat.isSymbolicLink() ? 'link' : stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'absent';
    throw error;
  }
}

/** The text of a regular file; undefined when there is none (a link or folder is not read). */
export function readText(path: string): string | undefined {
  return entry(path) === 'file' ? readFileSync(path, 'utf8') : undefined;
}

/**
 * What stands in the way of writing a file at `path` (relative to `dir`), if anything. `folders`
 * remembers what each parent folder was found to be: thousands of files share a few folders.
 */
function obstruction(dir: string, path: string, folders: Map<string, Entry>): string | undefined {
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) {
    const parent = segments.slice(0, i).join('/');
    const kind = folders.get(parent) ?? entry(join(dir, parent));
    folders.set(parent, kind);
    if (kind === 'absent') return undefined;
    if (kind !== 'directory') return `${GENERATED_DIR}/${parent} is a ${kind === 'link' ? 'symbolic link' : 'file'} where Kiln needs a folder`;
  }
  const kind = entry(join(dir, path));
  if (kind === 'directory') return 'a folder stands where Kiln writes a file';
  if (kind === 'link' || kind === 'other') return 'a symbolic link or special file stands where Kiln writes a file';
  return undefined;
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

export function planTree(root: string, compilation: Compilation): TreePlan {
  const dir = join(root, GENERATED_DIR);
  const previous = parseManifest(readText(join(dir, MANIFEST)));
  const owned = Object.keys(previous.files);

  // Files other (unselected) environments own stay in the manifest untouched.
  const kept = Object.fromEntries(owned.filter((path) => !compilation.owns(path)).map((path) => [path, previous.files[path] ?? '']));
  const files = new Map(compilation.files);
  // Likewise their provenance: it describes the files in their folders, which this run leaves alone.
  const owner = (name: string) => compilation.owns(`${name}/`);
  const environments = {
    ...Object.fromEntries(Object.entries(previous.environments).filter(([name]) => !owner(name))),
    ...Object.fromEntries(Object.entries(compilation.provenance).filter(([name]) => owner(name))),
  };
  const hashes = { ...kept, ...Object.fromEntries([...compilation.files].map(([path, content]) => [path, hash(content)])) };
  files.set(MANIFEST, renderManifest({ ...(compilation.version === undefined ? {} : { kiln: compilation.version }), environments, files: hashes }));

  const changed: string[] = [];
  const missing: string[] = [];
  const handEdited: string[] = [];
  const blocked: Blocked[] = [];
  const folders = new Map<string, Entry>();
  for (const [path, content] of files) {
    const obstacle = obstruction(dir, path, folders);
    if (obstacle) {
      blocked.push({ path, reason: obstacle });
      continue;
    }
    const disk = readText(join(dir, path));
    if (disk === content) continue;
    changed.push(path);
    if (disk === undefined) {
      missing.push(path);
    } else if (path !== MANIFEST) {
      const recorded = previous.files[path];
      if (recorded === undefined) blocked.push({ path, reason: 'this file is where Kiln writes, but Kiln did not write it' });
      else if (recorded !== hash(disk)) handEdited.push(path);
    }
  }
  const removed = owned.filter((path) => compilation.owns(path) && !files.has(path) && entry(join(dir, path)) === 'file');
  for (const path of removed) {
    const disk = readText(join(dir, path));
    if (disk !== undefined && previous.files[path] !== hash(disk)) handEdited.push(path);
  }
  const onDisk = listEntries(dir);
  const reserved = (path: string) => compilation.reserved.some((prefix) => (prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix));
  const leftovers = onDisk.filter((path) => TEMPORARY.test(path));
  const unknown = onDisk.filter((path) => compilation.owns(path) && !files.has(path) && previous.files[path] === undefined && !reserved(path) && !TEMPORARY.test(path));
  return {
    files: new Map([...files].sort(([a], [b]) => compareText(a, b))),
    changed: changed.sort(compareText),
    removed: removed.sort(compareText),
    handEdited: handEdited.sort(compareText),
    missing: missing.sort(compareText),
    blocked: blocked.sort((a, b) => compareText(a.path, b.path)),
    unknown,
    leftovers,
    environments,
    ...(previous.error === undefined ? {} : { manifestError: previous.error }),
  };
}
