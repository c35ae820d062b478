/**
 * Two pull requests that each add an environment, merged with real git: they conflict in generated/
 * (the manifest, whose hash of the index both change, and the index's rows), never in the sources. The procedure
 * the README documents — `npx kiln generate`, `git add generated/`, commit — leaves a clean check;
 * and when a side of the manifest cannot be read, the hint's git command works on the unmerged path.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { kiln } from './support/run.js';

const scratch = join(import.meta.dirname, '.tmp', `merges-${process.pid}`);
const fixture = join(import.meta.dirname, 'fixtures/valid');
const SLOW = 180_000;
let root = '';
let counter = 0;

function git(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync('git', args, { cwd: root, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function ok(...args: string[]): string {
  const result = git(...args);
  expect(result.status, `git ${args.join(' ')}: ${result.output}`).toBe(0);
  return result.output;
}

/** On a new branch from main: one more production environment of the shop, generated and committed. */
async function addEnvironment(branch: string): Promise<void> {
  ok('checkout', '-q', '-b', branch, 'main');
  const prod = readFileSync(join(root, 'environments/shop-prod.ts'), 'utf8');
  writeFileSync(join(root, `environments/${branch}.ts`), prod.replace("name: 'shop-prod'", `name: '${branch}'`));
  const run = await kiln(['generate', '--root', root]);
  expect(run.code, run.stderr).toBe(0);
  ok('add', '-A');
  ok('commit', '-q', '-m', `add ${branch}`);
}

/** Unmerged paths, as `git status` shows them. */
const unmerged = () => ok('diff', '--name-only', '--diff-filter=U').split('\n').filter(Boolean);

beforeEach(async () => {
  root = join(scratch, String(counter++));
  mkdirSync(root, { recursive: true });
  cpSync(fixture, root, { recursive: true });
  ok('init', '-q', '-b', 'main');
  ok('config', 'user.email', 'kiln@example.com');
  ok('config', 'user.name', 'Kiln test');
  expect((await kiln(['generate', '--root', root])).code).toBe(0);
  ok('add', '-A');
  ok('commit', '-q', '-m', 'initial');
  await addEnvironment('shop-blue');
  await addEnvironment('shop-cyan');
  ok('checkout', '-q', 'shop-blue');
  expect(git('merge', '-q', '--no-edit', 'shop-cyan').status).not.toBe(0);
}, SLOW);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('merging two branches that each add an environment', () => {
  it('conflicts only in generated/, and generate rebuilds it from both sides: check is clean after the documented procedure', async () => {
    // blue and cyan sort next to each other: their rows of the index conflict too.
    expect(unmerged()).toEqual(['generated/README.md', 'generated/kiln-manifest.json']);
    const stale = await kiln(['check', '--json', '--root', root]);
    expect(stale.code).toBe(1);
    expect(stale.diagnostics).toEqual([]);
    expect(stale.stdout).toContain('generated/kiln-manifest.json');

    const run = await kiln(['generate', '--json', '--root', root]);
    expect(run.code, run.stderr).toBe(0);
    // The index git left with conflict markers is rewritten; what git merged is no hand edit.
    expect(run.diagnostics).toEqual([]);
    expect(run.stdout).toContain('held a merge conflict');
    ok('add', 'generated/');
    expect(unmerged()).toEqual([]);
    ok('commit', '-q', '--no-edit');
    expect(ok('status', '--porcelain')).toBe('');
    const check = await kiln(['check', '--root', root]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(root, 'generated/kiln-manifest.json'), 'utf8')) as { environments: Record<string, unknown> };
    expect(Object.keys(manifest.environments)).toEqual(['shop-blue', 'shop-cyan', 'shop-dev', 'shop-prod']);
  }, SLOW);

  it('names the git command that works on an unmerged manifest when a side of it cannot be read', async () => {
    const path = join(root, 'generated/kiln-manifest.json');
    // Ours loses its closing brace: that side is no JSON.
    writeFileSync(path, readFileSync(path, 'utf8').replace(/\n}\n$/, '\n'));
    const run = await kiln(['generate', '--json', '--root', root]);
    expect(run.code).toBe(1);
    const hint = run.diagnostics.find((d) => d.code === 'MANIFEST_UNREADABLE')?.hint ?? '';
    // The old hint's command fails on an unmerged path; the one given works.
    expect(git('checkout', '--', 'generated/kiln-manifest.json').status).not.toBe(0);
    const command = /\((git checkout [^,)]+)/.exec(hint)?.[1];
    expect(command, hint).toBe('git checkout --ours -- generated/kiln-manifest.json');
    ok(...(command ?? '').split(' ').slice(1));
    // The other branch's files are taken as Kiln's where their bytes are what Kiln writes.
    const regenerated = await kiln(['generate', '--root', root]);
    expect(regenerated.code, regenerated.stderr).toBe(0);
    ok('add', 'generated/');
    expect(unmerged()).toEqual([]);
    expect((await kiln(['check', '--root', root])).code).toBe(0);
  }, SLOW);
});
