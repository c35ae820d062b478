/** The kiln command's surface: list, explain, schema, root discovery, help, usage errors, exit codes. */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kiln } from './support/run.js';

const root = join(import.meta.dirname, 'fixtures/valid');
const scratch = join(import.meta.dirname, '.tmp', `cli-${process.pid}`);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('kiln', () => {
  it('lists environments with stage, systems and targets, under a header row', async () => {
    const run = await kiln(['list', '--root', root]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean).map((line) => line.split(/\s+/))).toEqual([
      ['NAME', 'STAGE', 'SYSTEMS', 'TARGETS'],
      ['shop-dev', 'development', 'shop', 'compose'],
      ['shop-prod', 'production', 'shop', 'kubernetes'],
    ]);
    const json = await kiln(['list', '--json', '--root', root]);
    expect(JSON.parse(json.stdout.split('\n')[0] ?? '')).toEqual({ name: 'shop-dev', stage: 'development', systems: ['shop'], targets: ['compose'] });
  });

  it('explains the resolved model as YAML or JSON', async () => {
    const run = await kiln(['explain', 'shop-dev', '--root', root]);
    expect(run.code).toBe(0);
    const model = parse(run.stdout);
    expect(model).toMatchObject({ name: 'shop-dev', stage: 'development', source: 'environments/shop-dev.ts' });
    expect(model.systems[0].services.map((s: { name: string }) => s.name)).toEqual(['api', 'web']);
    expect(model.systems[0].services[0].scaling).toEqual({ kind: 'fixed', replicas: 1 });
    const json = await kiln(['explain', 'shop-prod', '--json', '--root', root]);
    expect(JSON.parse(json.stdout).targets.kubernetes.namespace).toBe('shop-prod');
    expect((await kiln(['explain', 'nope', '--root', root])).code).toBe(2);
  });

  it('prints the JSON Schema of the input', async () => {
    const run = await kiln(['schema']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).properties.stage.enum).toEqual(['development', 'staging', 'production']);
  });

  it('lists what loads and validates, without compiling: an error only an output would show is no error of list', async () => {
    const fixture = join(import.meta.dirname, 'fixtures/invalid/argocd-shared-namespace');
    expect((await kiln(['generate', '--root', fixture])).code).toBe(1);
    const run = await kiln(['list', '--json', '--root', fixture]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line).name)).toEqual(['argocd-shared-namespace', 'argocd-shared-other']);
  });

  it('finds the root from a folder inside it, as npm and git do', async () => {
    const repository = join(scratch, 'repository');
    mkdirSync(repository, { recursive: true });
    cpSync(root, repository, { recursive: true });
    writeFileSync(join(repository, 'package.json'), '{ "private": true }\n');
    const run = await kiln(['list', '--json'], join(repository, 'environments', 'systems'));
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line).name)).toEqual(['shop-dev', 'shop-prod']);
    const outside = mkdtempSync(join(tmpdir(), 'kiln-cli-'));
    try {
      const lost = await kiln(['list'], outside);
      expect(lost.code).toBe(2);
      expect(lost.stderr).toContain('holds environments/ and package.json');
    } finally {
      rmSync(outside, { recursive: true });
    }
  });

  it('refuses a --root without environments/ and creates nothing', async () => {
    const missing = join(scratch, 'no-such-root');
    const run = await kiln(['generate', '--root', missing]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('there is no environments/ folder');
    expect(existsSync(missing)).toBe(false);
  });

  it('prints help for one command, and the version, with short flags too', async () => {
    for (const args of [['generate', '--help'], ['generate', '-h'], ['help', 'generate']]) {
      const run = await kiln(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: kiln generate \[ENV…\] \[options\]\n/);
      expect(run.stdout).not.toContain('--exit-code');
    }
    expect((await kiln(['diff', '--help'])).stdout).toContain('--exit-code');
    expect((await kiln(['-h'])).stdout).toContain('Commands:');
    const version = await kiln(['-v']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('refuses arguments a command does not take, unknown options and misplaced ones, in its own words', async () => {
    for (const args of [['list', 'extra'], ['schema', 'extra'], ['diff', 'shop-dev'], ['explain', 'a', 'b'], ['help', 'nope']]) {
      const run = await kiln([...args, '--root', root]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
    }
    const unknown = await kiln(['generate', '--bogus-flag', '--root', root]);
    expect(unknown.stderr).toBe("kiln: unknown option '--bogus-flag'\nrun 'kiln generate --help'\n");
    expect((await kiln(['list', '--root'])).stderr).toContain('--root needs a value');
    expect((await kiln(['generate', '--base', 'HEAD', '--root', root])).stderr).toContain('--base is an option of diff, not of generate');
    expect((await kiln(['list', '--root', root], undefined, { KILN_LOAD_TIMEOUT: 'soon' })).code).toBe(2);
  });

  it('prints usage errors as JSON under --json', async () => {
    for (const args of [['list', 'extra'], ['generate', '--bogus-flag'], ['frobnicate'], ['generate', '--root', join(scratch, 'nowhere')]]) {
      const run = await kiln([...args, '--json']);
      expect(run.code, args.join(' ')).toBe(2);
      const lines = run.stderr.split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0] ?? '')).toEqual({ error: expect.any(String), hint: expect.any(String) });
    }
  });

  it('exits 2 on usage errors and 0 for help and version', async () => {
    expect((await kiln(['frobnicate'])).code).toBe(2);
    expect((await kiln([])).code).toBe(2);
    expect((await kiln(['generate', '--bogus-flag'])).code).toBe(2);
    expect((await kiln(['explain'])).code).toBe(2);
    const help = await kiln(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('kiln generate'.replace('kiln ', ''));
    expect((await kiln(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
