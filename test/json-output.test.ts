/**
 * `--json` is a documented shape for tools: every line each command prints, on stdout and stderr,
 * is one JSON object that packages/cli/output.schema.json (the schema the README's "Machine-readable
 * output" describes) accepts.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { kiln } from './support/run.js';
import type { Run } from './support/run.js';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../packages/cli/output.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
const fixtures = join(import.meta.dirname, 'fixtures');
const scratch = join(import.meta.dirname, '.tmp', `json-output-${process.pid}`);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type OutputLine = { type: string } & Record<string, unknown>;

/** Every line of the run's output, each checked against the schema. */
function lines(run: Run): { stdout: OutputLine[]; stderr: OutputLine[] } {
  const parse = (text: string) =>
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const record = JSON.parse(line) as OutputLine;
        expect(validate(record), `${line}\n${JSON.stringify(validate.errors, null, 2)}`).toBe(true);
        return record;
      });
  return { stdout: parse(run.stdout), stderr: parse(run.stderr) };
}

function copy(fixture: string, name: string): string {
  const root = join(scratch, name);
  mkdirSync(root, { recursive: true });
  cpSync(join(fixtures, fixture), root, { recursive: true });
  return root;
}

describe('kiln --json', () => {
  it('generate: a summary of counts, then the same run unchanged', async () => {
    const root = copy('valid', 'generate');
    const first = lines(await kiln(['generate', '--json', '--root', root]));
    expect(first.stderr).toEqual([]);
    const written = first.stdout.find((line) => line.type === 'summary');
    expect(written).toMatchObject({ command: 'generate', removed: 0, unchanged: 0 });
    expect(written?.written).toBeGreaterThan(10);
    expect(lines(await kiln(['generate', '--json', '--root', root])).stdout).toEqual([{ type: 'summary', command: 'generate', written: 0, removed: 0, unchanged: written?.written }]);
  });

  it('generate with errors: diagnostics with their environment, file, line and fix, then the outcome', async () => {
    const failed = await kiln(['generate', '--json', '--root', join(fixtures, 'invalid/image-without-tag')]);
    expect(failed.code).toBe(1);
    const output = lines(failed);
    expect(output.stdout).toEqual([]);
    const diagnostics = output.stderr.filter((line) => line.type === 'diagnostic');
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics[0]).toMatchObject({ severity: 'error', file: 'environments/image-without-tag.ts', environment: 'image-without-tag', fix: expect.any(String) });
    expect(output.stderr.at(-1)).toEqual({ type: 'error', message: expect.stringContaining('nothing written') });

    const syntax = lines(await kiln(['generate', '--json', '--root', join(fixtures, 'invalid/syntax-error')]));
    expect(syntax.stderr[0]).toMatchObject({ type: 'diagnostic', code: 'LOAD_FAILED', file: 'environments/syntax-error.ts', line: expect.any(Number), column: expect.any(Number) });
  });

  it('check: each drift a record of kind, path, environment and the source to change; then a summary', async () => {
    const root = copy('valid', 'check');
    expect((await kiln(['generate', '--root', root])).code).toBe(0);
    const clean = lines(await kiln(['check', '--json', '--root', root]));
    expect(clean.stdout).toEqual([{ type: 'summary', command: 'check', files: expect.any(Number), drift: 0 }]);

    const compose = join(root, 'generated/shop-dev/compose/docker-compose.yml');
    writeFileSync(compose, `${readFileSync(compose, 'utf8')}# edited\n`);
    writeFileSync(join(root, 'generated/shop-prod/kubernetes/configmap-stray.yaml'), 'kind: ConfigMap\n');
    rmSync(join(root, 'generated/shop-prod/kubernetes/service-api.yaml'));
    const run = await kiln(['check', '--json', '--root', root]);
    expect(run.code).toBe(1);
    const output = lines(run);
    expect(output.stdout.filter((line) => line.type === 'drift')).toEqual([
      { type: 'drift', kind: 'missing', path: 'generated/shop-prod/kubernetes/service-api.yaml', environment: 'shop-prod', source: 'environments/shop-prod.ts' },
      { type: 'drift', kind: 'hand-edited', path: 'generated/shop-dev/compose/docker-compose.yml', environment: 'shop-dev', source: 'environments/shop-dev.ts' },
      { type: 'drift', kind: 'unknown', path: 'generated/shop-prod/kubernetes/configmap-stray.yaml', environment: 'shop-prod', source: null },
    ]);
    expect(output.stdout.at(-1)).toEqual({ type: 'summary', command: 'check', files: expect.any(Number), drift: 3 });
    expect(output.stderr.map((line) => line.type)).toEqual(['error']);
  });

  it('list and policies: one record per environment, policy and waiver', async () => {
    const root = join(fixtures, 'valid');
    const list = lines(await kiln(['list', '--json', '--root', root]));
    expect(list.stdout).toEqual([
      { type: 'environment', name: 'shop-dev', stage: 'development', systems: ['shop'], targets: ['compose'], region: null },
      { type: 'environment', name: 'shop-prod', stage: 'production', systems: ['shop'], targets: ['kubernetes'], region: null },
    ]);
    const policies = lines(await kiln(['policies', '--json', '--root', root, '--date', '2026-06-01']));
    expect(new Set(policies.stdout.map((line) => line.type))).toEqual(new Set(['policy', 'waiver']));
    const expired = lines(await kiln(['policies', '--json', '--root', root, '--date', '2100-01-01']));
    expect(expired.stderr.map((line) => [line.type, line.code, line.environment])).toEqual([
      ['diagnostic', 'WAIVER_EXPIRED', 'shop-prod'],
      ['diagnostic', 'WAIVER_EXPIRED', 'shop-prod'],
    ]);
  });

  it('usage errors: one record with the fix, whatever went wrong', async () => {
    for (const args of [['list', 'extra'], ['generate', '--bogus-flag'], ['frobnicate'], [], ['explain'], ['generate', '--root', join(scratch, 'nowhere')]]) {
      const run = await kiln([...args, '--json']);
      expect(run.code, args.join(' ')).toBe(2);
      const output = lines(run);
      expect(output.stdout).toEqual([]);
      expect(output.stderr).toEqual([{ type: 'usage', message: expect.any(String), fix: expect.any(String) }]);
    }
  });
});
