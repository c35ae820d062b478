/**
 * kiln diff against real git history: a scratch repository (under test/.tmp, so its environments
 * import @kiln/model like the project's own) with three commits — the initial generated tree; one
 * that changes replicas, renames a service, changes an alert threshold, a secret reference, a
 * dashboard panel and a password inside a configuration file; one that deletes an environment — and
 * the diff of the working tree against each.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprint } from '@kiln/diff';
import type { DiffDocument, ResourceChange } from '@kiln/diff';
import { simpleGit } from 'simple-git';
import type { SimpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kiln } from './support/run.js';
import { readTree } from './support/tree.js';

const root = join(import.meta.dirname, '.tmp', `diff-${process.pid}`);
const fixture = join(import.meta.dirname, 'fixtures/diff');
const SLOW = 180_000;
const FINGERPRINT = /^\(sha256:[0-9a-f]{8}\)$/;

let git: SimpleGit;
const commits: Record<'initial' | 'edited' | 'deleted', string> = { initial: '', edited: '', deleted: '' };
/** generated/shop-dev/ as first committed, relative to generated/. */
let shopDevFiles: string[] = [];

function edit(file: string, from: string, to: string): void {
  const path = join(root, 'environments', file);
  const text = readFileSync(path, 'utf8');
  expect(text, `${file} contains ${from}`).toContain(from);
  writeFileSync(path, text.split(from).join(to));
}

async function generateAndCommit(message: string): Promise<string> {
  const run = await kiln(['generate', '--root', root]);
  expect(run.code, run.stderr).toBe(0);
  await git.add(['-A']);
  await git.commit(message);
  return (await git.revparse(['HEAD'])).trim();
}

async function diffJson(base: string): Promise<DiffDocument> {
  const run = await kiln(['diff', '--root', root, '--base', base, '--format', 'json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as DiffDocument;
}

const find = (document: DiffDocument, environment: string, name: string): ResourceChange => {
  const found = document.resources.filter((r) => r.environment === environment && r.name === name);
  expect(found.map((r) => r.name), `${environment}: ${name} among ${document.resources.map((r) => `${r.environment}: ${r.name}`).join(', ')}`).toEqual([name]);
  return found[0] as ResourceChange;
};
const field = (resource: ResourceChange, path: string) => {
  const found = resource.fields.find((f) => f.path === path);
  expect(found, `${path} among ${resource.fields.map((f) => f.path).join(', ')}`).toBeDefined();
  return found;
};

beforeAll(async () => {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  cpSync(fixture, root, { recursive: true });
  git = simpleGit({ baseDir: root });
  await git.init();
  await git.addConfig('user.name', 'Kiln Test');
  await git.addConfig('user.email', 'test@kiln.invalid');
  await git.addConfig('commit.gpgsign', 'false');
  commits.initial = await generateAndCommit('initial generated tree');
  shopDevFiles = [...readTree(join(root, 'generated/shop-dev')).keys()].map((path) => `shop-dev/${path.split('\\').join('/')}`).sort();

  edit('shop-prod.ts', '  monitoring:', '  overrides: { api: { replicas: 5 } },\n  monitoring:');
  edit('systems/shop.ts', "name: 'web'", "name: 'storefront'");
  edit('systems/shop.ts', "from: 'web'", "from: 'storefront'");
  edit('systems/shop.ts', "> 0.05',", "> 0.08',");
  edit('systems/shop.ts', "secret('api-token')", "secret('api-token-v2')");
  edit('systems/shop.ts', "thresholds: [{ value: 0.05, color: 'red' }]", "thresholds: [{ value: 0.02, color: 'orange' }, { value: 0.05, color: 'red' }]");
  edit('systems/shop.ts', 'hunter2', 'hunter3');
  commits.edited = await generateAndCommit('edit replicas, names, threshold, secret, panel');

  rmSync(join(root, 'environments/shop-dev.ts'));
  commits.deleted = await generateAndCommit('delete shop-dev');
}, SLOW);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('kiln diff against the commit before every edit', () => {
  let document: DiffDocument;
  beforeAll(async () => {
    document = await diffJson(commits.initial);
  }, SLOW);

  it('names the base and says that something changed', () => {
    expect(document).toMatchObject({ schema: 'kiln.dev/diff/v1', base: { ref: commits.initial, commit: commits.initial }, head: 'working-tree', changed: true });
  });

  it('reports the replicas change as a field change', () => {
    const api = find(document, 'shop-prod', 'Deployment shop-prod/api');
    expect(api).toMatchObject({ kind: 'kubernetes', change: 'changed', file: 'shop-prod/kubernetes/deployment-api.yaml' });
    expect(field(api, 'spec.replicas')).toEqual({ path: 'spec.replicas', before: '3', after: '5' });
  });

  it('reports the renamed service’s objects as renamed, not as removed and added', () => {
    const deployment = find(document, 'shop-prod', 'Deployment shop-prod/storefront');
    expect(deployment).toMatchObject({ change: 'renamed', file: 'shop-prod/kubernetes/deployment-storefront.yaml', previous: { name: 'Deployment shop-prod/web', file: 'shop-prod/kubernetes/deployment-web.yaml' } });
    expect(field(deployment, 'metadata.name')).toEqual({ path: 'metadata.name', before: 'web', after: 'storefront' });
    expect(field(deployment, 'spec.template.spec.containers[storefront].name')).toEqual({ path: 'spec.template.spec.containers[storefront].name', before: 'web', after: 'storefront' });
    for (const name of ['Service shop-prod/storefront', 'ServiceAccount shop-prod/storefront', 'Service shop-prod/storefront-public']) expect(find(document, 'shop-prod', name).change).toBe('renamed');
    expect(document.resources.filter((r) => r.environment === 'shop-prod' && (r.change === 'added' || r.change === 'removed'))).toEqual([]);
  });

  it('reports the alert threshold in the rule file and in the PrometheusRule, and the runbook section that states it', () => {
    const alert = find(document, 'shop-prod', 'alert HighErrorRate (critical)');
    expect(alert).toMatchObject({ kind: 'prometheus', change: 'changed', file: 'shop-prod/prometheus/rules/shop.yml' });
    expect(alert.fields.map((f) => f.path)).toEqual(['expr']);
    expect(alert.fields[0]?.before).toMatch(/> 0\.05$/);
    expect(alert.fields[0]?.after).toMatch(/> 0\.08$/);
    const rule = find(document, 'shop-prod', 'PrometheusRule shop-prod/shop');
    expect(field(rule, 'spec.groups[shop.alerts].rules[HighErrorRate].expr')?.after).toMatch(/> 0\.08$/);
    const runbook = find(document, 'shop-prod', 'runbook HighErrorRate.md');
    expect(runbook.kind).toBe('runbooks');
    expect(runbook.fields.find((f) => f.path.startsWith('## When it fires'))?.lines).toContain('+sum by (job) (rate(http_requests_total{code="500"}[5m])) / sum by (job) (rate(http_requests_total[5m])) > 0.08');
  });

  it('reports the secret reference change masked, with different fingerprints before and after', () => {
    const external = find(document, 'shop-prod', 'ExternalSecret shop-prod/api-token-v2');
    expect(external).toMatchObject({ change: 'renamed', previous: { name: 'ExternalSecret shop-prod/api-token' } });
    expect(field(external, 'spec.data[value].remoteRef.key')).toEqual({ path: 'spec.data[value].remoteRef.key', before: fingerprint('shop-prod/api-token'), after: fingerprint('shop-prod/api-token-v2'), masked: true });
    const reference = field(find(document, 'shop-prod', 'Deployment shop-prod/api'), 'spec.template.spec.containers[api].env[API_TOKEN].valueFrom.secretKeyRef.name');
    expect(reference).toMatchObject({ masked: true, before: expect.stringMatching(FINGERPRINT), after: expect.stringMatching(FINGERPRINT) });
    expect(reference?.before).not.toBe(reference?.after);
  });

  it('masks a password inside a configuration file and shows that it changed', () => {
    const config = find(document, 'shop-prod', 'ConfigMap shop-prod/api-config');
    expect(field(config, 'data[upstream.conf]')?.lines).toEqual([
      '@@ -1,2 +1,2 @@',
      `-upstream = https://shop:${fingerprint('hunter2')}@payments.example.org/v1`,
      `+upstream = https://shop:${fingerprint('hunter3')}@payments.example.org/v1`,
      ' timeout = 5s',
    ]);
  });

  it('reports the dashboard panel change by panel title, in the dashboard and in its ConfigMap', () => {
    const dashboard = find(document, 'shop-prod', 'dashboard "Shop overview" (shop-shop-overview)');
    expect(dashboard.kind).toBe('grafana');
    expect(field(dashboard, 'panels[Error ratio].fieldConfig.defaults.thresholds.steps[1].value')).toMatchObject({ before: '0.05', after: '0.02' });
    expect(field(dashboard, 'panels[Error ratio].fieldConfig.defaults.thresholds.steps[2]')?.after).toBe('{"color":"red","value":0.05}');
    const configMap = find(document, 'shop-prod', 'ConfigMap shop-prod/dashboard-shop-shop-overview');
    expect(field(configMap, 'data[shop-shop-overview.json].panels[Error ratio].fieldConfig.defaults.thresholds.steps[1].value')).toMatchObject({ before: '0.05', after: '0.02' });
  });

  it('reports every file of the deleted environment as removed', () => {
    const shopDev = document.resources.filter((r) => r.environment === 'shop-dev');
    expect(new Set(shopDev.map((r) => r.change))).toEqual(new Set(['removed']));
    expect([...new Set(shopDev.map((r) => r.file))].sort()).toEqual(shopDevFiles);
    expect(shopDevFiles).toContain('shop-dev/compose/docker-compose.yml');
    expect(shopDev.map((r) => r.name)).toEqual(expect.arrayContaining(['service api', 'service web', 'alert HighErrorRate (critical)', 'dashboard "Shop overview" (shop-shop-overview)', 'runbook HighErrorRate.md']));
    expect(document.summary.filter((row) => row.environment === 'shop-dev').every((row) => row.added + row.changed + row.renamed === 0 && row.removed > 0)).toBe(true);
  });

  it('prints no secret in any format, and the same changes in each', async () => {
    const text = await kiln(['diff', '--root', root, '--base', commits.initial]);
    const markdown = await kiln(['diff', '--root', root, '--base', commits.initial, '--format', 'markdown']);
    const json = await kiln(['diff', '--root', root, '--base', commits.initial, '--format', 'json']);
    for (const run of [text, markdown, json]) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).not.toContain('hunter');
      // The remote key of the secret appears only as fingerprints.
      expect(run.stdout).not.toMatch(/remoteRef\.key"?: "?(?!\(sha256:)/);
      expect(run.stdout).toContain(fingerprint('shop-prod/api-token-v2'));
      expect(run.stdout).toContain(fingerprint('hunter3'));
    }
    expect(text.stdout).toContain('spec.replicas: 3 → 5');
    expect(text.stdout).toMatch(/renamed Deployment shop-prod\/web → Deployment shop-prod\/storefront \(\d+% alike\)/);
    expect(markdown.stdout).toContain('| shop-dev | compose | 0 | 0 | ');
    expect(markdown.stdout).toContain('| shop-prod | kubernetes | 0 | ');
    expect(markdown.stdout.match(/<details>/g)).toHaveLength(document.resources.length);
    expect(markdown.stdout).toContain('spec.replicas: 3 → 5');
    expect(markdown.stdout.length).toBeLessThan(60_000);
  });

  it('exits 1 with --exit-code when anything changed, 0 without', async () => {
    expect((await kiln(['diff', '--root', root, '--base', commits.initial, '--exit-code'])).code).toBe(1);
    expect((await kiln(['diff', '--root', root, '--base', commits.initial])).code).toBe(0);
  });
}, SLOW);

describe('kiln diff against later commits', () => {
  it('against the commit before the deletion, reports only the deleted environment and the index', async () => {
    const document = await diffJson('HEAD~1');
    expect(document.base.commit).toBe(commits.edited);
    expect(new Set(document.resources.map((r) => `${r.environment} ${r.change}`))).toEqual(new Set(['shop-dev removed', '(index) changed']));
    expect([...new Set(document.resources.filter((r) => r.environment === 'shop-dev').map((r) => r.file))].sort()).toEqual(shopDevFiles);
  });

  it('against HEAD after generate, reports nothing and exits 0 with --exit-code', async () => {
    const run = await kiln(['diff', '--root', root, '--exit-code']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`No changes to generated/ against HEAD (${commits.deleted.slice(0, 12)}).\n`);
    expect(await diffJson('HEAD')).toMatchObject({ changed: false, resources: [], totals: { added: 0, changed: 0, removed: 0, renamed: 0 } });
  });

  it('compiles the working tree, not the generated/ on disk', async () => {
    edit('shop-prod.ts', 'replicas: 5', 'replicas: 7');
    try {
      const document = await diffJson('HEAD');
      expect(document.resources.map((r) => r.name)).toContain('Deployment shop-prod/api');
      expect(field(find(document, 'shop-prod', 'Deployment shop-prod/api'), 'spec.replicas')).toEqual({ path: 'spec.replicas', before: '5', after: '7' });
    } finally {
      edit('shop-prod.ts', 'replicas: 7', 'replicas: 5');
    }
  });

  it('stays under the comment budget when the diff is too large, saying what it left out', async () => {
    const big = Array.from({ length: 2500 }, (_, i) => `setting_${i} = value ${i}`).join('\\n');
    edit('systems/shop.ts', "timeout = 5s\\n'", `timeout = 5s\\n${big}\\n'`);
    try {
      const run = await kiln(['diff', '--root', root, '--format', 'markdown']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout.length).toBeLessThanOrEqual(60_000);
      expect(run.stdout).toMatch(/\*\*1 of \d+ resources left out\*\*/);
      expect((run.stdout.match(/^```/gm) ?? []).length % 2).toBe(0);
      expect(run.stdout).toContain('Deployment shop-prod/api');
      const full = await kiln(['diff', '--root', root]);
      expect(full.stdout.length).toBeGreaterThan(65_536);
    } finally {
      edit('systems/shop.ts', `timeout = 5s\\n${big}\\n'`, "timeout = 5s\\n'");
    }
  });
}, SLOW);

describe('kiln diff errors', () => {
  it('exits 2 with a clear message for a ref that does not exist', async () => {
    const run = await kiln(['diff', '--root', root, '--base', 'no-such-branch']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("'no-such-branch' names no commit in this repository");
    expect(run.stdout).toBe('');
  });

  it('exits 2 outside a git repository', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'kiln-diff-'));
    try {
      // A root (it holds environments/), but no git repository.
      mkdirSync(join(outside, 'environments'));
      const run = await kiln(['diff', '--root', outside]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('is not inside a git repository');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('reports errors in the working tree’s input as diagnostics and exits 1', async () => {
    edit('shop-prod.ts', "version: '1.31'", "version: '1.31', bogus: true");
    try {
      const run = await kiln(['diff', '--root', root, '--json']);
      expect(run.code).toBe(1);
      expect(run.diagnostics.map((d) => d.code)).toEqual(['UNKNOWN_FIELD']);
      expect(run.stdout).toBe('');
    } finally {
      edit('shop-prod.ts', "version: '1.31', bogus: true", "version: '1.31'");
    }
  });

  it('refuses an unknown format and diff options on other commands', async () => {
    expect((await kiln(['diff', '--root', root, '--format', 'yaml'])).code).toBe(2);
    expect((await kiln(['check', '--root', root, '--exit-code'])).code).toBe(2);
  });
}, SLOW);
