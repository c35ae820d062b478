import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under a folder with its text, keyed by path relative to it. */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

/**
 * Everything under a folder (the folder itself too, as ''), links not followed: a file by the hash
 * of its bytes, a folder as `dir`, a link as `-> target`. Equal snapshots: nothing was written,
 * renamed or removed there.
 */
export function snapshot(dir: string): Map<string, string> {
  const entries = new Map<string, string>();
  const visit = (path: string) => {
    const stat = lstatSync(path, { throwIfNoEntry: false });
    const key = relative(dir, path);
    if (stat === undefined) return;
    if (stat.isSymbolicLink()) entries.set(key, `-> ${readlinkSync(path)}`);
    else if (stat.isFile()) entries.set(key, createHash('sha256').update(readFileSync(path)).digest('hex'));
    else if (stat.isDirectory()) {
      entries.set(key, 'dir');
      for (const name of readdirSync(path).sort()) visit(join(path, name));
    }
  };
  visit(dir);
  return entries;
}
