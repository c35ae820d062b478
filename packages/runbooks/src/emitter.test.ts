import { posix } from 'node:path';
import { render } from '@kiln/core';
import type { Output } from '@kiln/core';
import { hostFiles, hostUnits, procedurePath, runbookPath } from '@kiln/model';
import type { Environment } from '@kiln/model';
import { describe, expect, it } from 'vitest';
import { RunbooksCode } from './codes.js';
import { runbooksEmitter } from './emitter.js';
import { alert, api, db, environment, procedure, shop, TARGETS, worker } from './fixtures.js';
import { linkTargets, lintMarkdown, markdownTokens, mermaidBlocks, parseArchitecture, tokensOf } from './markdown-check.js';

const dbDown = alert({ name: 'DbDown', expr: 'up{job="db"} == 0', severity: 'critical', summary: 'db down on {{ $labels.instance }}', tests: [{ name: 'down', series: { 'up{job="db",instance="db-0"}': '0x10' }, at: '5m', expect: [{ labels: { job: 'db', instance: 'db-0' } }] }] });

function emit(env: Environment): Map<string, string> {
  const result = runbooksEmitter.emit(env);
  expect(result.diagnostics).toEqual([]);
  return new Map(result.outputs.map((output: Output) => [output.path, output.format === 'markdown' ? output.text : '']));
}

const headings = (markdown: string) => tokensOf(markdownTokens(markdown), 'atxHeadingText').map((t) => t.text);

describe('runbooks emitter', () => {
  it('writes a runbook per alert name (SLO alerts too) at runbookPath, one per procedure at procedurePath, and the index', () => {
    const env = environment();
    const alertNames = new Set(env.systems.flatMap((s) => s.alerts.map((a) => a.name)));
    expect([...alertNames]).toEqual(expect.arrayContaining(['ApiErrors', 'ApiAvailabilityBurnRatePage1h', 'ApiAvailabilitySliAbsent']));
    const expected = [...[...alertNames].map((name) => runbookPath(env.name, { name })), ...['failover', 'rollback'].map((name) => procedurePath(env.name, { name })), 'shop-prod/runbooks/README.md'];
    expect([...emit(env).keys()].sort()).toEqual(expected.sort());
  });

  it('gives an alert name at two severities one runbook with a section per severity', () => {
    const markdown = emit(environment()).get('shop-prod/runbooks/ApiErrors.md') ?? '';
    expect(headings(markdown).filter((h) => h.startsWith('Severity'))).toEqual(['Severity critical', 'Severity warning']);
    expect(markdown).toContain('It fires when `sum by (job) (rate(http_requests_total{status="503"}[5m]))` is above 0.1, and that holds for 5m.');
    expect(markdown).toContain('```promql\nsum by (job) (rate(http_requests_total{status="503"}[5m])) > 1\n```');
  });

  it('writes kubectl commands with the namespace, the service selector and Deployment or StatefulSet', () => {
    const env = environment(shop({ alerts: [alert(), dbDown] }), { targets: { kubernetes: { ...TARGETS.kubernetes.kubernetes, namespace: 'shop' } } });
    const files = emit(env);
    const db = files.get('shop-prod/runbooks/DbDown.md') ?? '';
    expect(db).toContain('Namespace `shop` on cluster `prod-eu`.');
    expect(db).toContain('kubectl -n shop get pods -l app.kubernetes.io/name=db -o wide');
    expect(db).toContain('kubectl -n shop rollout restart statefulset/db');
    expect(db).not.toContain('name=api');
    expect(files.get('shop-prod/runbooks/ApiErrors.md')).toContain('kubectl -n shop rollout restart deployment/api');
    expect(files.get('shop-prod/runbooks/failover.md')).toContain('```sh\n   kubectl -n shop exec db-1 -- pg_ctl promote\n   ```');
  });

  it('restarts members with files of their own one StatefulSet at a time', () => {
    const keyed = { ...db, secretFiles: [{ path: '/keys/db-{id}.key', secret: 'db-keys', key: 'db-{id}', member: 'each' as const }] };
    const env = environment(shop({ services: [api, keyed, worker], alerts: [dbDown] }), { targets: { kubernetes: { ...TARGETS.kubernetes.kubernetes, namespace: 'shop' } } });
    const markdown = emit(env).get('shop-prod/runbooks/DbDown.md') ?? '';
    expect(markdown).toContain('StatefulSets `db-0`, `db-1`');
    expect(markdown).toContain('kubectl -n shop rollout restart statefulset/db-0\nkubectl -n shop rollout status statefulset/db-0\nkubectl -n shop rollout restart statefulset/db-1');
    expect(markdown).not.toContain('statefulset/db\n');
  });

  it('writes docker compose commands with the project, the file and each stateful member', () => {
    const files = emit(environment(shop({ alerts: [dbDown] })));
    const compose = 'docker compose -p shop-prod -f generated/shop-prod/compose/docker-compose.yml';
    const db = files.get('shop-prod/runbooks/DbDown.md') ?? '';
    expect(db).toContain(`${compose} ps db-0 db-1`);
    expect(db).toContain(`${compose} restart db-0\n${compose} restart db-1`);
    expect(files.get('shop-prod/runbooks/failover.md')).toContain(`${compose} exec db-1 pg_ctl promote`);
  });

  it('writes systemctl and journalctl commands on the machines that run the service', () => {
    const db = emit(environment(shop({ alerts: [dbDown] }), { targets: TARGETS.hosts })).get('shop-prod/runbooks/DbDown.md') ?? '';
    expect(db).toContain('systemd unit `db` on `db-host-1`, `db-host-2`');
    expect(db).toContain('# db-host-2 (10.0.0.3)\nssh db-host-2 systemctl status db\nssh db-host-2 journalctl -u db --since -1h');
    expect(db).not.toContain('edge-1');
  });

  it('gives each target its command in a procedure step when the environment has several', () => {
    const failover = emit(environment(shop(), { targets: { ...TARGETS.kubernetes, ...TARGETS.compose } })).get('shop-prod/runbooks/failover.md') ?? '';
    expect(failover).toContain('2. Promote the replica.\n\n   On Kubernetes:\n\n   ```sh\n   kubectl -n shop-prod exec db-1 -- pg_ctl promote\n   ```\n\n   With Docker Compose:\n\n   ```sh\n');
    expect(failover).toContain('1. Confirm the primary is down.\n\n2.');
  });

  it("links the alert's panel in Grafana when the environment has one, else the dashboard JSON", () => {
    const withGrafana = emit(environment(shop(), { monitoring: { grafana: { url: 'https://grafana.example.org/' } } }));
    expect(linkTargets(withGrafana.get('shop-prod/runbooks/ApiErrors.md') ?? '')).toContain('https://grafana.example.org/d/shop-overview?viewPanel=2');
    expect(linkTargets(withGrafana.get('shop-prod/runbooks/failover.md') ?? '')).toContain('https://grafana.example.org/d/shop-overview?viewPanel=2');
    const without = emit(environment());
    expect(linkTargets(without.get('shop-prod/runbooks/ApiErrors.md') ?? '')).toContain('../grafana/dashboards/shop-overview.json');
  });

  it("links only files it writes, besides the dashboard JSON of a dashboard the environment has and its units' drop-ins", () => {
    for (const targets of Object.values(TARGETS)) {
      const env = environment(shop(), { targets });
      const files = emit(env);
      const dropIns = new Set(hostUnits(env).map(({ unit }) => `shop-prod/host/${hostFiles.dropIn(unit)}`));
      for (const [path, markdown] of files) {
        for (const target of linkTargets(markdown)) {
          const resolved = posix.join(posix.dirname(path), target);
          const dashboard = /^shop-prod\/grafana\/dashboards\/(.+)\.json$/.exec(resolved)?.[1];
          expect(files.has(resolved) || dashboard === 'shop-overview' || dropIns.has(resolved), `${path} → ${target}`).toBe(true);
        }
      }
    }
  });

  it('indexes alerts by severity and procedures, with a topology diagram that Mermaid parses', async () => {
    const readme = emit(environment()).get('shop-prod/runbooks/README.md') ?? '';
    expect(headings(readme)).toEqual(expect.arrayContaining(['Critical: pages', 'Warning: opens a ticket', 'Procedures', 'Topology']));
    expect(readme).toContain('| [ApiErrors](ApiErrors.md) | shop | Errors on `{{ $labels.job }}` |');
    expect(readme).toContain('| [Fail the database over](failover.md) | shop | The primary is gone. |');
    const [diagram] = mermaidBlocks(readme);
    await expect(parseArchitecture(diagram ?? '')).resolves.toBeUndefined();
    expect(diagram).toContain('public_internet:R -[http 8080]-> L:svc_api');
    expect(diagram).toContain('service svc_db(database)[db 5432 peers on pg] in sys_shop');
  });

  it('passes markdownlint on every file, as the core writes it, on every kind of target', () => {
    const variants = [...Object.values(TARGETS).map((targets) => environment(shop({ alerts: [alert(), dbDown] }), { targets })), environment(shop(), { monitoring: { grafana: { url: 'https://grafana.example.org' } }, targets: { ...TARGETS.kubernetes, ...TARGETS.compose, ...TARGETS.hosts } })];
    for (const env of variants) {
      for (const output of runbooksEmitter.emit(env).outputs) expect(lintMarkdown(output.path, render(output, env.source))).toEqual([]);
    }
  });

  it('reports two runbooks on one file instead of writing either twice', () => {
    const clash = shop({ alerts: [alert({ name: 'Failover' }), alert({ name: 'README' })], procedures: [procedure({ see: [] })] });
    const result = runbooksEmitter.emit(environment(clash));
    expect(result.diagnostics.map((d) => [d.code, d.file, d.path])).toEqual([
      [RunbooksCode.RUNBOOK_NAME_TAKEN, 'environments/systems/shop.ts', 'alerts[README].name'],
      [RunbooksCode.RUNBOOK_NAME_TAKEN, 'environments/systems/shop.ts', 'procedures[failover].name'],
    ]);
    expect(result.outputs.map((o) => o.path).filter((p) => /readme|failover/i.test(p))).toEqual(['shop-prod/runbooks/Failover.md', 'shop-prod/runbooks/README.md']);
  });

  it('is pure: the same environment gives the same bytes', () => {
    const env = environment();
    expect(runbooksEmitter.emit(env)).toEqual(runbooksEmitter.emit(env));
  });
});
