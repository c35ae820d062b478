/** The kiln command's surface: list, explain, schema, usage errors, exit codes. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kiln } from './support/run.js';

const root = join(import.meta.dirname, 'fixtures/valid');

describe('kiln', () => {
  it('lists environments with stage, systems and targets', async () => {
    const run = await kiln(['list', '--root', root]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean).map((line) => line.split(/\s+/))).toEqual([
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
