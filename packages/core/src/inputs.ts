/**
 * An environment's inputs: its file and every file it imports, transitively, inside the repository.
 * Found by reading `import … from '…'` and `export … from '…'` statements (jiti does not report what
 * it resolved); only relative specifiers count — packages such as `@kiln/model` are Kiln, whose
 * version the manifest records. The hash covers the sorted relative paths and their bytes, so it
 * is the same on every machine and changes exactly when an input does.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { compareText } from '@kiln/model';

/** `import x from './a'`, `import type { T } from "./b.js"`, `export * from './c'`, `import './d'`. */
const STATEMENT = /(?:^|[\s;{}])(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\sfrom\s*)?['"]([^'"\n]+)['"]/g;

/** Relative specifiers a TypeScript source names in its import and export statements. */
export function importSpecifiers(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`])\/\/[^\n]*/g, '$1');
  const specifiers: string[] = [];
  for (const match of text.matchAll(STATEMENT)) {
    const specifier = match[1] ?? '';
    if (specifier.startsWith('./') || specifier.startsWith('../')) specifiers.push(specifier);
  }
  return specifiers;
}

const isFile = (path: string): boolean => {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
};

/** The repository file a relative specifier in `from` (a root-relative path) names, if any. */
function resolveSpecifier(root: string, from: string, specifier: string): string | undefined {
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  if (base.startsWith('../') || base === '..' || base.startsWith('/')) return undefined;
  const candidates = [base.replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts'), base, `${base}.ts`, `${base}/index.ts`];
  return candidates.find((candidate) => isFile(join(root, candidate)));
}

/** The file and everything it imports inside the root, relative with forward slashes, sorted. */
export function inputFiles(root: string, file: string): string[] {
  const seen = new Set<string>();
  const pending = [file];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    if (seen.has(current)) continue;
    let text: string;
    try {
      text = readFileSync(join(root, current), 'utf8');
    } catch {
      continue;
    }
    seen.add(current);
    if (!/\.(ts|mts|cts|js|mjs|cjs)$/.test(current)) continue;
    for (const specifier of importSpecifiers(text)) {
      const target = resolveSpecifier(root, current, specifier);
      if (target !== undefined && !seen.has(target)) pending.push(target);
    }
  }
  return [...seen].sort(compareText);
}

/** `sha256:…` over the inputs' paths and bytes. */
export function inputsHash(root: string, file: string): string {
  const digest = createHash('sha256');
  for (const path of inputFiles(root, file)) {
    const bytes = readFileSync(join(root, path));
    digest.update(`${path}\n${bytes.length}\n`, 'utf8');
    digest.update(bytes);
  }
  return `sha256:${digest.digest('hex')}`;
}

