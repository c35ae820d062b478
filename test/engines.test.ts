/**
 * The supported Node, stated honestly: every installed package whose `engines` excludes the oldest
 * Node that package.json supports is named in the README's list (npm ci warns about exactly those),
 * and every package named there still does. A dependency update that changes either fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { minVersion, satisfies } from 'semver';
import { describe, expect, it } from 'vitest';

const repository = join(import.meta.dirname, '..');
const read = (path: string) => readFileSync(join(repository, path), 'utf8');

interface LockEntry {
  readonly version?: string;
  readonly dev?: boolean;
  readonly optional?: boolean;
  readonly engines?: { readonly node?: string };
}

describe('supported Node', () => {
  const supported = JSON.parse(read('package.json')).engines.node as string;
  const oldest = minVersion(supported)?.version;
  const lock = JSON.parse(read('package-lock.json')).packages as Record<string, LockEntry>;

  it('names in the README exactly the runtime dependencies that declare a newer Node', () => {
    expect(oldest).toBeDefined();
    const declaringNewer = Object.entries(lock)
      .filter(([path, entry]) => path.startsWith('node_modules/') && !entry.dev && entry.engines?.node !== undefined)
      .filter(([, entry]) => !satisfies(oldest!, entry.engines!.node!))
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length))
      .sort();
    const readme = read('README.md');
    const list = readme.slice(readme.indexOf('<!-- engines:start -->'), readme.indexOf('<!-- engines:end -->'));
    const named = [...list.matchAll(/^- `([^`]+)`$/gm)].map((match) => match[1]).sort();
    expect(named.length).toBeGreaterThan(0);
    expect(named).toEqual(declaringNewer);
  });

  it('supports no Node older than the test tools need', () => {
    const tools = Object.entries(lock).filter(([path, entry]) => entry.dev && /node_modules\/(vite|vitest|rolldown)$/.test(path) && entry.engines?.node !== undefined);
    expect(tools.length).toBeGreaterThan(0);
    for (const [path, entry] of tools) expect(satisfies(oldest!, entry.engines!.node!), `${path} needs ${entry.engines!.node}`).toBe(true);
  });

  it('runs on a Node the README supports', () => {
    expect(satisfies(process.versions.node, supported)).toBe(true);
  });
});
