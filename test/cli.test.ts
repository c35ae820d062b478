/** The kiln command's surface: list, explain, schema, root discovery, help, usage errors, exit codes. */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { POLICY_IDS } from '@kiln/model';
import { kiln } from './support/run.js';
import { readTree } from './support/tree.js';

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
    expect(JSON.parse(json.stdout.split('\n')[0] ?? '')).toEqual({ type: 'environment', name: 'shop-dev', stage: 'development', systems: ['shop'], targets: ['compose'], region: null });
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

  it('lists every stage policy with the stages it applies in, and every waiver with its expiry and status', async () => {
    const run = await kiln(['policies', '--root', root, '--date', '2026-06-01']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]?.split(/\s+/)).toEqual(['POLICY', 'PRODUCTION', 'STAGING', 'DEVELOPMENT', 'CODE', 'REQUIRES']);
    expect(lines.find((line) => line.startsWith('non-root '))?.split(/\s+/).slice(0, 5)).toEqual(['non-root', 'error', 'error', '-', 'RUNS_AS_ROOT']);
    for (const id of POLICY_IDS) expect(lines.some((line) => line.startsWith(`${id} `)), id).toBe(true);
    expect(lines.filter((line) => line.startsWith('shop-prod ')).map((line) => line.split(/\s+/).slice(0, 5))).toEqual([
      ['shop-prod', 'probes', '(all)', '2099-12-31', 'active'],
      ['shop-prod', 'alert-and-dashboard', '(all)', '2099-12-31', 'active'],
    ]);
    expect(run.stdout).toContain('waivers checked against 2026-06-01');
    const json = (await kiln(['policies', '--json', '--root', root, '--date', '2026-06-01'])).stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line));
    expect(json.filter((line) => line.type === 'policy').map((line) => line.id)).toEqual([...POLICY_IDS]);
    expect(json.find((line) => line.id === 'resources')).toMatchObject({ code: 'RESOURCES_MISSING', stages: { production: 'error', staging: 'warning' } });
    expect(json.filter((line) => line.type === 'waiver')).toEqual([
      { type: 'waiver', environment: 'shop-prod', policy: 'probes', reason: expect.any(String), expires: '2099-12-31', status: 'active', covers: 2, date: '2026-06-01' },
      { type: 'waiver', environment: 'shop-prod', policy: 'alert-and-dashboard', reason: expect.any(String), expires: '2099-12-31', status: 'active', covers: 2, date: '2026-06-01' },
    ]);
    const dev = await kiln(['policies', 'shop-dev', '--root', root]);
    expect(dev.code).toBe(0);
    expect(dev.stdout).toContain('no waivers in shop-dev');
    expect((await kiln(['policies', 'nope', '--root', root])).code).toBe(2);
  });

  it('checks waivers against --date (or KILN_DATE, or today): expired the day after, never changing the output', async () => {
    const expired = await kiln(['policies', '--json', '--root', root, '--date', '2100-01-01']);
    expect(expired.code).toBe(1);
    expect(expired.diagnostics.map((d) => [d.code, d.path])).toEqual([
      ['WAIVER_EXPIRED', 'waivers[0].expires'],
      ['WAIVER_EXPIRED', 'waivers[1].expires'],
    ]);
    expect(expired.stdout.split('\n').filter((line) => line.includes('"waiver"')).map((line) => JSON.parse(line).status)).toEqual(['expired', 'expired']);
    expect((await kiln(['policies', '--root', root], undefined, { KILN_DATE: '2100-01-01' })).code).toBe(1);
    expect((await kiln(['policies', '--root', root, '--date', '2099-12-31'], undefined, { KILN_DATE: '2100-01-01' })).code).toBe(0);
    for (const date of ['2099-02-30', 'tomorrow']) {
      const bad = await kiln(['generate', '--root', root, '--date', date]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--date must be a calendar date written YYYY-MM-DD');
    }
    expect((await kiln(['list', '--root', root], undefined, { KILN_DATE: '1/1/2100' })).code).toBe(2);

    const trees = [];
    for (const date of ['2026-06-01', '2099-12-31', '2100-01-01']) {
      const repository = join(scratch, `dated-${date}`);
      cpSync(root, repository, { recursive: true });
      const run = await kiln(['generate', '--root', repository, '--date', date]);
      expect(run.code, date).toBe(date === '2100-01-01' ? 1 : 0);
      trees.push(readTree(join(repository, 'generated')));
    }
    expect(trees[0]?.size).toBeGreaterThan(0);
    expect(trees[1]).toEqual(trees[0]);
    expect(trees[2]?.size).toBe(0);
    expect((await kiln(['check', '--root', join(scratch, 'dated-2026-06-01'), '--date', '2099-12-31'])).code).toBe(0);
    expect((await kiln(['check', '--root', join(scratch, 'dated-2026-06-01'), '--date', '2100-01-01'])).code).toBe(1);
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
