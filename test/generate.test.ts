/**
 * generate and check on a scratch copy of a small repository: ownership, atomicity, touching only
 * what changed, partial runs, and every kind of drift check must name.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { kiln } from './support/run.js';
import { readTree } from './support/tree.js';

const scratch = join(import.meta.dirname, '.tmp', `generate-${process.pid}`);
const fixture = join(import.meta.dirname, 'fixtures/valid');
let root = '';
let counter = 0;

const generated = (path = '') => join(root, 'generated', path);
const edit = (file: string, from: string, to: string) => {
  const path = join(root, 'environments', file);
  const text = readFileSync(path, 'utf8');
  expect(text).toContain(from);
  writeFileSync(path, text.replace(from, to));
};

beforeEach(() => {
  root = join(scratch, String(counter++));
  mkdirSync(root, { recursive: true });
  cpSync(fixture, root, { recursive: true });
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('generate', () => {
  it('writes every file once, with a manifest, and then nothing', async () => {
    const first = await kiln(['generate', '--root', root]);
    expect(first.code).toBe(0);
    const files = readTree(generated());
    expect([...files.keys()]).toContain('kiln-manifest.json');
    expect([...files.keys()]).toContain('README.md');
    expect([...files.keys()]).toContain('shop-dev/compose/docker-compose.yml');
    expect([...files.keys()]).toContain('shop-prod/kubernetes/deployment-api.yaml');
    const manifest = JSON.parse(files.get('kiln-manifest.json') ?? '{}') as { files: Record<string, string> };
    expect(Object.keys(manifest.files).sort()).toEqual([...files.keys()].filter((p) => p !== 'kiln-manifest.json').sort());
    expect(first.stdout).toMatch(new RegExp(`${files.size} written, 0 removed, 0 unchanged`));
    const second = await kiln(['generate', '--root', root]);
    expect(second.stdout).toMatch(new RegExp(`0 written, 0 removed, ${files.size} unchanged`));
    expect(readTree(generated())).toEqual(files);
  });

  it('rewrites only the files whose bytes change', async () => {
    await kiln(['generate', '--root', root]);
    const before = new Map([...readTree(generated()).keys()].map((path) => [path, statSync(generated(path)).ino]));
    edit('systems/shop.ts', "LOG_LEVEL: 'info'", "LOG_LEVEL: 'debug'");
    const run = await kiln(['generate', '--root', root]);
    expect(run.code).toBe(0);
    const touched = [...before].filter(([path, inode]) => statSync(generated(path)).ino !== inode).map(([path]) => path).sort();
    expect(touched).toEqual(['kiln-manifest.json', 'shop-dev/compose/docker-compose.yml', 'shop-prod/kubernetes/deployment-api.yaml']);
  });

  it('leaves generated/ exactly as it was when any environment has an error', async () => {
    await kiln(['generate', '--root', root]);
    const before = readTree(generated());
    edit('systems/shop.ts', "LOG_LEVEL: 'info'", "LOG_LEVEL: 'debug', DB_PASSWORD: 'hunter2'");
    edit('shop-prod.ts', "version: '1.31'", "version: '1.31', bogus: true");
    const run = await kiln(['generate', '--json', '--root', root]);
    expect(run.code).toBe(1);
    expect(run.diagnostics.map((d) => d.code).sort()).toEqual(['SECRET_AS_PLAIN_VALUE', 'UNKNOWN_FIELD']);
    expect(readTree(generated())).toEqual(before);
  });

  it('removes files it no longer produces and never touches files it did not write', async () => {
    await kiln(['generate', '--root', root]);
    writeFileSync(generated('NOTES.txt'), 'ours, not Kiln’s\n');
    writeFileSync(generated('shop-prod/kubernetes/extra-by-hand.yaml'), 'kind: ConfigMap\n');
    edit('shop-prod.ts', "targets: { kubernetes:", "targets: { compose: {}, kubernetes:");
    edit('shop-prod.ts', "stage: 'production',", "stage: 'production',\n  overrides: { web: { replicas: 1 } },");
    edit('systems/shop.ts', "replicas: 2,", 'replicas: 1,');
    const run = await kiln(['generate', '--root', root]);
    expect(run.code).toBe(0);
    expect(existsSync(generated('shop-prod/kubernetes/poddisruptionbudget-api.yaml'))).toBe(false);
    expect(existsSync(generated('shop-prod/compose/docker-compose.yml'))).toBe(true);
    expect(readFileSync(generated('NOTES.txt'), 'utf8')).toBe('ours, not Kiln’s\n');
    expect(existsSync(generated('shop-prod/kubernetes/extra-by-hand.yaml'))).toBe(true);
  });

  it('refuses to write over a file Kiln never wrote', async () => {
    mkdirSync(generated('shop-prod/kubernetes'), { recursive: true });
    writeFileSync(generated('shop-prod/kubernetes/deployment-api.yaml'), 'hand-made\n');
    const run = await kiln(['generate', '--json', '--root', root]);
    expect(run.code).toBe(1);
    expect(run.diagnostics.map((d) => [d.code, d.file])).toEqual([['FILE_NOT_OWNED', 'generated/shop-prod/kubernetes/deployment-api.yaml']]);
    expect([...readTree(generated()).keys()]).toEqual(['shop-prod/kubernetes/deployment-api.yaml']);
  });

  it('generates only the named environments and keeps what the others own', async () => {
    await kiln(['generate', '--root', root]);
    const manifest = readFileSync(generated('kiln-manifest.json'), 'utf8');
    edit('systems/shop.ts', "LOG_LEVEL: 'info'", "LOG_LEVEL: 'debug'");
    const run = await kiln(['generate', 'shop-dev', '--root', root]);
    expect(run.code).toBe(0);
    expect(readFileSync(generated('shop-dev/compose/docker-compose.yml'), 'utf8')).toContain('LOG_LEVEL: debug');
    expect(readFileSync(generated('shop-prod/kubernetes/deployment-api.yaml'), 'utf8')).toContain('value: info');
    expect(Object.keys(JSON.parse(readFileSync(generated('kiln-manifest.json'), 'utf8')).files)).toEqual(Object.keys(JSON.parse(manifest).files));
    expect((await kiln(['check', 'shop-dev', '--root', root])).code).toBe(0);
    expect((await kiln(['check', '--root', root])).code).toBe(1);
    expect((await kiln(['generate', 'nope', '--root', root])).code).toBe(2);
  });
});

describe('generate, when generated/ is not as Kiln left it', () => {
  it('refuses a manifest naming paths outside generated/, and deletes nothing', async () => {
    await kiln(['generate', '--root', root]);
    writeFileSync(join(root, 'victim.txt'), 'keep me\n');
    const manifestPath = generated('kiln-manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.files['../victim.txt'] = 'sha256:0';
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const before = readTree(generated());
    const run = await kiln(['generate', '--json', '--root', root]);
    expect(run.code).toBe(1);
    expect(run.diagnostics.map((d) => d.code)).toEqual(['MANIFEST_UNREADABLE']);
    expect(readFileSync(join(root, 'victim.txt'), 'utf8')).toBe('keep me\n');
    expect(readTree(generated())).toEqual(before);
  });

  it('refuses a manifest that is no JSON, and check says so', async () => {
    await kiln(['generate', '--root', root]);
    writeFileSync(generated('kiln-manifest.json'), '<<<<<<< HEAD\n');
    expect((await kiln(['generate', '--json', '--root', root])).diagnostics.map((d) => d.code)).toEqual(['MANIFEST_UNREADABLE']);
    const check = await kiln(['check', '--json', '--root', root]);
    expect(check.code).toBe(1);
    expect(check.diagnostics.map((d) => d.code)).toEqual(['MANIFEST_UNREADABLE']);
  });

  it('writes nothing when a folder or a file stands where it must write', async () => {
    await kiln(['generate', '--root', root]);
    rmSync(generated('shop-prod/kubernetes/service-api.yaml'));
    mkdirSync(generated('shop-prod/kubernetes/service-api.yaml'));
    rmSync(generated('shop-dev/compose'), { recursive: true });
    writeFileSync(generated('shop-dev/compose'), 'a file\n');
    edit('systems/shop.ts', "LOG_LEVEL: 'info'", "LOG_LEVEL: 'debug'");
    const before = readTree(generated());
    const run = await kiln(['generate', '--json', '--root', root]);
    expect(run.code).toBe(1);
    // The file in place of a folder is named once, not once for every file below it.
    expect(run.diagnostics.map((d) => [d.code, d.file])).toEqual([
      ['PATH_BLOCKED', 'generated/shop-dev/compose'],
      ['PATH_BLOCKED', 'generated/shop-prod/kubernetes/service-api.yaml'],
    ]);
    expect(readTree(generated())).toEqual(before);
    expect((await kiln(['check', '--root', root])).code).toBe(1);
  });

  it('says it deleted a hand-edited file it no longer produces', async () => {
    await kiln(['generate', '--root', root]);
    writeFileSync(generated('shop-prod/kubernetes/poddisruptionbudget-api.yaml'), 'edited\n');
    edit('systems/shop.ts', 'replicas: 2,', 'replicas: 1,');
    const run = await kiln(['generate', '--json', '--root', root]);
    expect(run.code).toBe(0);
    expect(run.diagnostics).toEqual([expect.objectContaining({ code: 'HAND_EDITED', message: expect.stringContaining('generate deleted it') })]);
  });

  it('reports links and files it did not write, warns of them, deletes neither, and ignores the operator’s .env and secrets', async () => {
    await kiln(['generate', '--root', root]);
    symlinkSync('/etc/hostname', generated('shop-prod/kubernetes/configmap-linked.yaml'));
    // Named like the temporary files of Kiln before journaled writes: still not Kiln's (safe-writes.test.ts).
    writeFileSync(generated('shop-prod/kubernetes/.service-api.yaml.kiln-4242.tmp'), 'half\n');
    writeFileSync(generated('shop-dev/compose/.env'), 'API_TOKEN=x\n');
    mkdirSync(generated('shop-dev/compose/secrets'));
    writeFileSync(generated('shop-dev/compose/secrets/api-token'), 'x\n');
    const check = await kiln(['check', '--root', root]);
    expect(check.code).toBe(1);
    expect(check.stdout.trim().split('\n').map((line) => line.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'unknown generated/shop-prod/kubernetes/.service-api.yaml.kiln-4242.tmp',
      'unknown generated/shop-prod/kubernetes/configmap-linked.yaml',
    ]);
    // generate leaves them alone, and warns: Argo CD would apply them as if Kiln had made them.
    const run = await kiln(['generate', '--json', '--root', root]);
    expect(run.code).toBe(0);
    expect(run.diagnostics.map((d) => [d.code, d.severity, d.file, d.hint])).toEqual(
      ['shop-prod/kubernetes/.service-api.yaml.kiln-4242.tmp', 'shop-prod/kubernetes/configmap-linked.yaml'].map((path) => ['UNKNOWN_FILE', 'warning', `generated/${path}`, 'remove it, or move it outside generated/ (generate never touches a file it did not write)']),
    );
    for (const diagnostic of run.diagnostics) expect(diagnostic.message).toContain('Argo CD syncs its folder');
    expect(readFileSync(generated('shop-prod/kubernetes/.service-api.yaml.kiln-4242.tmp'), 'utf8')).toBe('half\n');
    expect(readFileSync(generated('shop-dev/compose/.env'), 'utf8')).toBe('API_TOKEN=x\n');
  });
});

describe('check', () => {
  it('passes on a fresh tree and names stale, missing, extra and hand-edited files', async () => {
    await kiln(['generate', '--root', root]);
    expect((await kiln(['check', '--root', root])).code).toBe(0);

    edit('systems/shop.ts', "LOG_LEVEL: 'info'", "LOG_LEVEL: 'debug'");
    edit('systems/shop.ts', 'replicas: 2,', 'replicas: 1,');
    rmSync(generated('shop-prod/kubernetes/service-web.yaml'));
    writeFileSync(generated('shop-prod/kubernetes/namespace-shop-prod.yaml'), 'edited by hand\n');
    writeFileSync(generated('shop-prod/kubernetes/configmap-stray.yaml'), 'kind: ConfigMap\n');
    const run = await kiln(['check', '--root', root]);
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n').map((line) => line.replace(/\s+/g, ' '));
    expect(lines).toEqual([
      'stale generated/kiln-manifest.json',
      'stale generated/shop-dev/compose/docker-compose.yml',
      'stale generated/shop-prod/kubernetes/deployment-api.yaml',
      // The runbook index lists each service's replicas.
      'stale generated/shop-prod/runbooks/README.md',
      'missing generated/shop-prod/kubernetes/service-web.yaml',
      'extra generated/shop-prod/kubernetes/poddisruptionbudget-api.yaml',
      'hand-edited generated/shop-prod/kubernetes/namespace-shop-prod.yaml (change environments/shop-prod.ts instead)',
      'unknown generated/shop-prod/kubernetes/configmap-stray.yaml (not written by Kiln: delete or move it)',
    ]);
    expect(readFileSync(generated('shop-prod/kubernetes/configmap-stray.yaml'), 'utf8')).toBe('kind: ConfigMap\n');
    expect(run.stderr).toContain("run 'npx kiln generate'");
  });
});

describe('provenance', () => {
  const manifest = () =>
    JSON.parse(readFileSync(generated('kiln-manifest.json'), 'utf8')) as { kiln?: string; environments?: Record<string, { source: string; inputs: string }>; files: Record<string, string> };

  it('records Kiln’s version and each environment’s source and inputs hash, no timestamps or absolute paths', async () => {
    await kiln(['generate', '--root', root]);
    const text = readFileSync(generated('kiln-manifest.json'), 'utf8');
    const written = manifest();
    expect(written.kiln).toBe((await kiln(['--version'])).stdout.trim());
    expect(Object.keys(written)).toEqual(['comment', 'kiln', 'environments', 'files']);
    expect(Object.keys(written.environments ?? {})).toEqual(['shop-dev', 'shop-prod']);
    expect(written.environments?.['shop-prod']).toEqual({ source: 'environments/shop-prod.ts', inputs: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(text).not.toContain(root);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    // The same inputs give the same bytes, in another checkout too.
    const other = join(scratch, `${counter++}`);
    mkdirSync(other, { recursive: true });
    cpSync(fixture, other, { recursive: true });
    await kiln(['generate', '--root', other]);
    expect(readFileSync(join(other, 'generated/kiln-manifest.json'), 'utf8')).toBe(text);
  });

  it('changes an environment’s inputs hash when a system file it imports changes, and not for an unrelated file', async () => {
    writeFileSync(join(root, 'environments/systems/unused.ts'), 'export const unused = 1;\n');
    await kiln(['generate', '--root', root]);
    const before = manifest().environments ?? {};
    writeFileSync(join(root, 'environments/systems/unused.ts'), 'export const unused = 2;\n');
    writeFileSync(join(root, 'environments/notes.md'), 'not an input\n');
    expect((await kiln(['check', '--root', root])).code).toBe(0);
    // A comment changes no output, but it changes the input.
    edit('systems/shop.ts', "LOG_LEVEL: 'info'", "LOG_LEVEL: 'info' /* reviewed */");
    const check = await kiln(['check', '--root', root]);
    expect(check.code).toBe(1);
    expect(check.stdout.trim().split('\n').map((line) => line.replace(/\s+/g, ' '))).toEqual(['stale generated/kiln-manifest.json']);
    await kiln(['generate', '--root', root]);
    const after = manifest().environments ?? {};
    expect(after['shop-dev']?.inputs).not.toBe(before['shop-dev']?.inputs);
    expect(after['shop-prod']?.inputs).not.toBe(before['shop-prod']?.inputs);
    // Only shop-dev's own file changes shop-dev's hash.
    edit('shop-dev.ts', 'replicas: 1', 'replicas: 1 /* small */');
    await kiln(['generate', '--root', root]);
    const last = manifest().environments ?? {};
    expect(last['shop-dev']?.inputs).not.toBe(after['shop-dev']?.inputs);
    expect(last['shop-prod']?.inputs).toBe(after['shop-prod']?.inputs);
  });

  it('keeps the provenance of environments a partial run does not own', async () => {
    await kiln(['generate', '--root', root]);
    const before = manifest().environments ?? {};
    edit('shop-dev.ts', 'replicas: 1', 'replicas: 1 /* small */');
    await kiln(['generate', 'shop-prod', '--root', root]);
    expect(manifest().environments).toEqual(before);
    await kiln(['generate', 'shop-dev', '--root', root]);
    expect(manifest().environments?.['shop-dev']?.inputs).not.toBe(before['shop-dev']?.inputs);
  });

  it('names the environment file to change for a hand-edited file, and environments/ for repository-wide files', async () => {
    await kiln(['generate', '--root', root]);
    writeFileSync(generated('shop-dev/compose/docker-compose.yml'), 'edited\n');
    writeFileSync(generated('README.md'), 'edited\n');
    const check = await kiln(['check', '--root', root]);
    expect(check.code).toBe(1);
    expect(check.stdout.trim().split('\n').map((line) => line.replace(/\s+/g, ' '))).toEqual([
      'hand-edited generated/README.md (change environments/ instead)',
      'hand-edited generated/shop-dev/compose/docker-compose.yml (change environments/shop-dev.ts instead)',
    ]);
    const run = await kiln(['generate', '--json', '--root', root]);
    expect(run.diagnostics.map((d) => [d.file, d.hint])).toEqual([
      ['generated/README.md', 'make the change in environments/ instead'],
      ['generated/shop-dev/compose/docker-compose.yml', 'make the change in environments/shop-dev.ts instead'],
    ]);
  });

  it('still reads a manifest written before provenance, and adds it on the next generate', async () => {
    await kiln(['generate', '--root', root]);
    const current = manifest();
    writeFileSync(generated('kiln-manifest.json'), `${JSON.stringify({ comment: 'written before provenance', files: current.files }, null, 2)}\n`);
    const check = await kiln(['check', '--root', root]);
    expect(check.stdout.trim().split('\n').map((line) => line.replace(/\s+/g, ' '))).toEqual(['stale generated/kiln-manifest.json']);
    expect((await kiln(['generate', '--root', root])).code).toBe(0);
    expect(manifest()).toEqual(current);
  });
});
