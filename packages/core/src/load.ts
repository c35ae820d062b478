/**
 * Loads environments/*.ts with jiti: it transpiles TypeScript in-process (no build step for
 * environment files, no native binary), and it is what ESLint, Tailwind and Nuxt use to load
 * TypeScript configuration. Its file cache is off: nothing is written outside generated/.
 */
import { readdirSync, realpathSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '@kiln/model';
import { createJiti } from 'jiti';
import { CoreCode } from './codes.js';
import { inputsHash } from './inputs.js';

export interface LoadedFile {
  /** The file, relative to the root, with forward slashes (`environments/bitquan-mainnet.ts`). */
  readonly file: string;
  /** The name the file says the environment has. */
  readonly name: string;
  readonly input?: unknown;
  /** `sha256:…` over the file and every repository file it imports (the manifest's provenance). */
  readonly inputs: string;
  readonly diagnostics: readonly Diagnostic[];
}

export const ENVIRONMENTS_DIR = 'environments';

/** Environment files in the root's environments/ folder (not its subfolders), sorted. */
export function environmentFiles(root: string): string[] {
  const dir = join(root, ENVIRONMENTS_DIR);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts'))
    .sort()
    .map((name) => `${ENVIRONMENTS_DIR}/${name}`);
}

export async function loadEnvironmentFile(root: string, file: string): Promise<LoadedFile> {
  const name = file.slice(file.lastIndexOf('/') + 1, -'.ts'.length);
  const inputs = inputsHash(resolve(root), file);
  const jiti = createJiti(join(resolve(root), 'kiln-loader.js'), { fsCache: false, moduleCache: false, interopDefault: false });
  let module: { default?: unknown };
  try {
    module = (await jiti.import(join(resolve(root), file))) as { default?: unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { file, name, inputs, diagnostics: [{ code: CoreCode.LOAD_FAILED, severity: 'error', file, path: '', message: `could not load: ${relativeMessage(root, message ?? '')}`, hint: 'fix the TypeScript error; `npx tsc -p .` shows it with line numbers' }] };
  }
  if (module.default === undefined) {
    return { file, name, inputs, diagnostics: [{ code: CoreCode.NO_DEFAULT_EXPORT, severity: 'error', file, path: '', message: 'the file has no default export', hint: 'end it with `export default defineEnvironment({ … })`' }] };
  }
  return { file, name, input: module.default, inputs, diagnostics: [] };
}

/** A path or file: URL that a stack named, relative to the root; undefined when outside it. */
export function relativeToRoot(root: string, location: string): string | undefined {
  const path = location.startsWith('file:') ? fileURLToPath(location) : location;
  // Stacks name real paths: compare against the real root (a /tmp symlink, a linked checkout).
  const rel = relative(realRoot(root), path);
  if (rel.startsWith('..') || rel === '' || resolve(rel) === rel) return undefined;
  return rel.split(sep).join('/');
}

function realRoot(root: string): string {
  try {
    return realpathSync(resolve(root));
  } catch {
    return resolve(root);
  }
}

function relativeMessage(root: string, message: string): string {
  return message.split(realRoot(root) + sep).join('').split(resolve(root) + sep).join('');
}
