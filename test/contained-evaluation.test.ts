/**
 * An environment file is a program; Kiln contains what it does. Each case adds one misbehaving
 * file to a small valid repository that was generated once: the run exits 1 with a diagnostic naming
 * the file, and generated/ keeps every byte, even when the file misbehaves after its export.
 * Scratch roots live under test/.tmp so that their files import @kiln/model from the workspace.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputFiles, inputsHash } from '@kiln/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kiln } from './support/run.js';
import { readTree } from './support/tree.js';

const scratch = join(import.meta.dirname, '.tmp', `contained-${process.pid}`);
const template = join(scratch, 'template');
let counter = 0;

/** A valid environment the misbehaving files export, named as their file. */
const environment = (name: string) => `defineEnvironment({ name: '${name}', stage: 'development', systems: [shop], targets: { compose: {} } })`;
const imports = `import { defineEnvironment } from '@kiln/model';\nimport { shop } from './systems/shop';\n`;

/** A copy of the generated template with one more environment file; its root. */
function withFile(name: string, text: string): string {
  const root = join(scratch, String(counter++));
  cpSync(template, root, { recursive: true });
  writeFileSync(join(root, 'environments', `${name}.ts`), text);
  return root;
}

beforeAll(async () => {
  mkdirSync(template, { recursive: true });
  cpSync(join(import.meta.dirname, 'fixtures/valid'), template, { recursive: true });
  const run = await kiln(['generate', '--root', template]);
  expect(run.code).toBe(0);
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('a misbehaving environment file', () => {
  const cases: { name: string; text: string; code: string; message: RegExp; env?: Record<string, string> }[] = [
    { name: 'exits', text: `${imports}process.exit(0);\nexport default ${environment('exits')};\n`, code: 'LOAD_EXIT', message: /process\.exit\(0\)/ },
    { name: 'exits-late', text: `${imports}setTimeout(() => process.exit(0), 50);\nexport default ${environment('exits-late')};\n`, code: 'LOAD_EXIT', message: /process\.exit\(0\)/ },
    { name: 'sets-exit-code', text: `${imports}process.exitCode = 4;\nexport default ${environment('sets-exit-code')};\n`, code: 'LOAD_EXIT', message: /exit code 4/ },
    { name: 'loops', text: `${imports}while (Date.now() > 0) {}\nexport default ${environment('loops')};\n`, code: 'LOAD_TIMEOUT', message: /within 1 s/, env: { KILN_LOAD_TIMEOUT: '1' } },
    { name: 'keeps-running', text: `${imports}setInterval(() => undefined, 1000);\nexport default ${environment('keeps-running')};\n`, code: 'LOAD_TIMEOUT', message: /within 1 s/, env: { KILN_LOAD_TIMEOUT: '1' } },
    {
      name: 'rejects-late',
      text: `${imports}setTimeout(() => void Promise.reject(new Error('too late')), 50);\nexport default ${environment('rejects-late')};\n`,
      code: 'LOAD_UNCAUGHT',
      message: /rejected.*too late/,
    },
    {
      name: 'throws-late',
      text: `${imports}export default ${environment('throws-late')};\nsetTimeout(() => {\n  throw new Error('a timer after the export');\n}, 50);\n`,
      code: 'LOAD_UNCAUGHT',
      message: /^environments\/throws-late\.ts:5:9 - .*a timer after the export/,
    },
    {
      name: 'throws-unprintable-late',
      text: `${imports}export default ${environment('throws-unprintable-late')};\nsetTimeout(() => {\n  throw Object.create(null);\n}, 50);\n`,
      code: 'LOAD_UNCAUGHT',
      message: /cannot be printed/,
    },
    { name: 'throws-unprintable', text: `${imports}throw Object.create(null);\n`, code: 'LOAD_FAILED', message: /cannot be printed/ },
    {
      name: 'throwing-getter',
      text: `${imports}const env = ${environment('throwing-getter')};\nexport default { ...env, systems: [Object.defineProperty({ ...env.systems[0] }, 'services', { enumerable: true, get() { throw new Error('no services'); } })] };\n`,
      code: 'EXPORT_UNREADABLE',
      message: /no services/,
    },
    {
      name: 'throwing-proxy',
      text: `${imports}export default new Proxy(${environment('throwing-proxy')}, { ownKeys() { throw new Error('a trap'); } });\n`,
      code: 'EXPORT_UNREADABLE',
      message: /a trap/,
    },
    {
      name: 'throwing-proxy-then',
      text: `${imports}export default new Proxy({}, { get() { throw Object.create(null); } });\n`,
      code: 'EXPORT_UNREADABLE',
      message: /cannot be printed/,
    },
  ];

  it.each(cases)('$name: $code, naming the file; generated/ untouched', async ({ name, text, code, message, env }) => {
    const root = withFile(name, text);
    const before = readTree(join(root, 'generated'));
    const started = Date.now();
    const run = await kiln(['generate', '--json', '--root', root], undefined, env);
    expect(run.code).toBe(1);
    const errors = run.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toEqual([expect.objectContaining({ code, file: `environments/${name}.ts` })]);
    expect(errors[0]?.message).toMatch(message);
    expect(errors[0]?.hint?.length).toBeGreaterThan(0);
    expect(readTree(join(root, 'generated'))).toEqual(before);
    if (env?.KILN_LOAD_TIMEOUT) expect(Date.now() - started).toBeLessThan(15_000);
    // list and check load the same way: a diagnostic, never an internal error.
    expect((await kiln(['list', '--root', root], undefined, env)).code).toBe(1);
    expect((await kiln(['check', '--root', root], undefined, env)).code).toBe(1);
  });

  it('names the path of a throwing getter', async () => {
    const root = withFile('getter-path', `${imports}export default { ...${environment('getter-path')}, get stage() { throw new Error('computed'); } };\n`);
    const run = await kiln(['generate', '--json', '--root', root]);
    expect(run.diagnostics).toEqual([expect.objectContaining({ code: 'EXPORT_UNREADABLE', file: 'environments/getter-path.ts', path: 'stage' })]);
  });

  it('cannot change what another file sees: globals, process.env, shared modules', async () => {
    const root = withFile(
      'a-meddler',
      `${imports}import * as model from '@kiln/model';\n(globalThis as Record<string, unknown>).kilnMeddled = true;\nprocess.env.KILN_MEDDLED = '1';\n(model.jvm.metrics as unknown[]).length = 0;\nexport default ${environment('a-meddler')};\n`,
    );
    // b-victim loads after a-meddler (sorted) and would stop at what a-meddler changed.
    writeFileSync(
      join(root, 'environments', 'b-victim.ts'),
      `${imports}import { jvm } from '@kiln/model';\nif ((globalThis as Record<string, unknown>).kilnMeddled || process.env.KILN_MEDDLED || jvm.metrics.length === 0) throw new Error('saw what a-meddler did');\nexport default ${environment('b-victim')};\n`,
    );
    const run = await kiln(['generate', '--json', '--root', root]);
    expect(run.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(run.code).toBe(0);
    expect(process.env.KILN_MEDDLED).toBeUndefined();
    expect(existsSync(join(root, 'generated', 'b-victim', 'compose', 'docker-compose.yml'))).toBe(true);
  });

  it('keeps the inputs hash: an environment and the system file it imports', async () => {
    const manifest = JSON.parse(readFileSync(join(template, 'generated', 'kiln-manifest.json'), 'utf8')) as { environments: Record<string, { source: string; inputs: string }> };
    expect(manifest.environments['shop-dev']).toEqual({ source: 'environments/shop-dev.ts', inputs: inputsHash(template, 'environments/shop-dev.ts') });
    expect(inputFiles(template, 'environments/shop-dev.ts')).toEqual(['environments/shop-dev.ts', 'environments/systems/shop.ts']);
  });
});

describe('diagnostics about loading', () => {
  const invalid = join(import.meta.dirname, 'fixtures/invalid');

  it('shows a syntax error at file:line:column with the line, as tsc does', async () => {
    const run = await kiln(['generate', '--json', '--root', join(invalid, 'syntax-error')]);
    expect(run.code).toBe(1);
    expect(run.diagnostics).toEqual([expect.objectContaining({ code: 'LOAD_FAILED', file: 'environments/syntax-error.ts' })]);
    expect(run.diagnostics[0]?.message).toBe("environments/syntax-error.ts:8:3 - Unexpected token, expected \",\"\n\n8   stage: 'development',\n    ~");
    const text = await kiln(['generate', '--root', join(invalid, 'syntax-error')]);
    expect(text.stderr).toContain("  environments/syntax-error.ts:8:3 - Unexpected token, expected \",\"\n\n  8   stage: 'development',\n      ~\n");
  });

  it.each(['default-export-null', 'default-export-number', 'default-export-promise', 'no-default-export'])('%s: exit 1 in generate, list and check', async (name) => {
    for (const command of ['generate', 'list', 'check']) {
      const run = await kiln([command, '--json', '--root', join(invalid, name)]);
      expect(run.code).toBe(1);
      expect(run.diagnostics.map((d) => d.code)).toEqual([name === 'no-default-export' ? 'NO_DEFAULT_EXPORT' : 'DEFAULT_EXPORT_INVALID']);
    }
  });

  it('names both files of a duplicate environment once, without the path conflicts that follow', async () => {
    const run = await kiln(['generate', '--json', '--root', join(invalid, 'duplicate-environment')]);
    expect(run.diagnostics).toEqual([
      expect.objectContaining({
        code: 'DUPLICATE_ENVIRONMENT',
        file: 'environments/copied.ts',
        path: 'name',
        message: "environments/duplicate-environment.ts and environments/copied.ts both name their environment 'duplicate-environment'",
      }),
    ]);
  });
});
