/**
 * Breaking changes on a scratch repository with real git (under test/.tmp, so its environments import
 * @kiln/model like the project's own): a service with a 10Gi volume is generated and committed, then
 * its environment shrinks the volume. generate refuses and writes nothing, check and diff report it;
 * acknowledged, it is generated, and once committed the acknowledgement is reported as stale.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import type { SimpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kiln } from './support/run.js';
import type { Run } from './support/run.js';
import { snapshot } from './support/tree.js';

const root = join(import.meta.dirname, '.tmp', `breaking-${process.pid}`);
const STATEFUL_SET = 'generated/shop-prod/kubernetes/statefulset-api.yaml';
const ACKNOWLEDGE = "  acknowledge: [{ change: 'volume-shrink', object: 'StatefulSet/api', reason: 'data moved off; see the change request' }],\n";
let git: SimpleGit;

function edit(file: string, from: string, to: string): void {
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  expect(text, `${file} contains ${from}`).toContain(from);
  writeFileSync(path, text.replace(from, to));
}

const generate = () => kiln(['generate', '--json', '--root', root]);
const BREAKING = new Set(['VOLUME_SHRINK', 'IMMUTABLE_FIELD_CHANGED', 'ACKNOWLEDGEMENT_STALE']);
/** The errors of a run, and its diagnostics about breaking changes (warnings included). */
const relevant = (run: Run) => run.diagnostics.filter((d) => d.severity === 'error' || BREAKING.has(d.code));

beforeAll(async () => {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  cpSync(join(import.meta.dirname, 'fixtures/valid'), root, { recursive: true });
  // One Kubernetes environment, in development: the stage's policies are not what this is about.
  rmSync(join(root, 'environments/shop-dev.ts'));
  edit('environments/shop-prod.ts', "stage: 'production'", "stage: 'development'");
  // The api keeps its data on a volume: a StatefulSet with a 10Gi claim template.
  edit('environments/systems/shop.ts', '      replicas: 2,\n', "      replicas: 2,\n      volumes: [{ name: 'data', mountPath: '/var/lib/api', size: '10Gi' }],\n");
  git = simpleGit({ baseDir: root });
  await git.init();
  await git.addConfig('user.name', 'Kiln Test');
  await git.addConfig('user.email', 'test@kiln.invalid');
  await git.addConfig('commit.gpgsign', 'false');
  const first = await generate();
  expect(first.code, first.stderr).toBe(0);
  expect(readFileSync(join(root, STATEFUL_SET), 'utf8')).toContain('storage: 10Gi');
  await git.add(['-A']);
  await git.commit('a 10Gi volume');
  edit('environments/shop-prod.ts', '  targets:', "  overrides: { api: { volumeSizes: { data: '5Gi' } } },\n  targets:");
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a smaller volume', () => {
  it('is refused by generate: exit 1, the object, the sizes and the procedure, nothing written', async () => {
    const before = snapshot(join(root, 'generated'));
    const run = await generate();
    expect(run.code).toBe(1);
    expect(relevant(run)).toEqual([
      expect.objectContaining({
        code: 'VOLUME_SHRINK',
        severity: 'error',
        file: 'environments/shop-prod.ts',
        message: expect.stringContaining('StatefulSet/api (generated/shop-prod/kubernetes/statefulset-api.yaml) changes spec.volumeClaimTemplates[data].spec.resources.requests.storage: 10Gi → 5Gi'),
        hint: expect.stringContaining("acknowledge: [{ change: 'volume-shrink', object: 'StatefulSet/api'"),
      }),
    ]);
    expect(run.stderr).toContain('nothing written');
    expect(snapshot(join(root, 'generated'))).toEqual(before);
  });

  it('is reported the same way for people', async () => {
    const run = await kiln(['generate', '--root', root]);
    expect(run.stderr).toContain('error VOLUME_SHRINK environments/shop-prod.ts');
    expect(run.stderr).toContain('volume cannot shrink');
    expect(run.stderr).toContain('fix: keep the size');
  });

  it('is reported by check and by diff against the committed tree', async () => {
    const check = await kiln(['check', '--json', '--root', root]);
    expect(check.code).toBe(1);
    expect(relevant(check).map((d) => d.code)).toEqual(['VOLUME_SHRINK']);
    const diff = await kiln(['diff', '--json', '--root', root, '--base', 'HEAD']);
    expect(diff.code).toBe(1);
    expect(relevant(diff).map((d) => d.code)).toEqual(['VOLUME_SHRINK']);
    // The diff itself is still printed.
    expect(JSON.parse(diff.stdout)).toMatchObject({ schema: 'kiln.dev/diff/v1', changed: true });
  });

  it('acknowledged, is generated; the acknowledgement goes stale once the change is committed', async () => {
    edit('environments/shop-prod.ts', '  targets:', `${ACKNOWLEDGE}  targets:`);
    const diff = await kiln(['diff', '--json', '--root', root, '--base', 'HEAD']);
    expect(diff.code, diff.stderr).toBe(0);
    expect(relevant(diff)).toEqual([]);
    const run = await generate();
    expect(run.code, run.stderr).toBe(0);
    expect(relevant(run)).toEqual([]);
    expect(readFileSync(join(root, STATEFUL_SET), 'utf8')).toContain('storage: 5Gi');
    const check = await kiln(['check', '--json', '--root', root]);
    expect(check.code, check.stderr).toBe(0);
    expect(relevant(check)).toEqual([]);
    await git.add(['-A']);
    await git.commit('a 5Gi volume');
    const after = await kiln(['diff', '--json', '--root', root, '--base', 'HEAD']);
    expect(after.code).toBe(0);
    expect(relevant(after)).toEqual([expect.objectContaining({ code: 'ACKNOWLEDGEMENT_STALE', severity: 'warning', file: 'environments/shop-prod.ts', path: 'acknowledge[0]' })]);
  });

  it('is measured against the committed bytes, hand edits included', async () => {
    // Someone grew the volume by editing the generated file and committing it: that is what Argo CD runs.
    edit('environments/shop-prod.ts', ACKNOWLEDGE, '');
    edit(STATEFUL_SET, 'storage: 5Gi', 'storage: 8Gi');
    const run = await generate();
    expect(run.code).toBe(1);
    expect(relevant(run)).toEqual([expect.objectContaining({ code: 'VOLUME_SHRINK', message: expect.stringContaining('8Gi → 5Gi') })]);
    expect(readFileSync(join(root, STATEFUL_SET), 'utf8')).toContain('storage: 8Gi');
  });
});
