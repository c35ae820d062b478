/**
 * Test builders: a resolved environment, from input through the model, with a shop system that has
 * what runbooks show: a public API with metrics, a stateful database, a worker, flows, an alert at
 * two severities, an SLO, a dashboard and two procedures that link each other.
 */
import type { AlertInput, Environment, EnvironmentInput, ProcedureInput, ServiceInput, SystemInput } from '@kiln/model';
import { resolveEnvironment } from '@kiln/model';

export const RUNBOOK = { impact: 'Orders fail.', diagnosis: ['Look at the errors.'], mitigation: ['Roll back.'], panel: { dashboard: 'shop-overview', panel: 'Errors' } };

export const api: ServiceInput = {
  name: 'api',
  image: 'acme/api:1.4.2',
  ports: [{ name: 'http', port: 8080, expose: 'public' }, { name: 'metrics', port: 9090 }],
  metrics: { port: 'metrics', exports: [{ name: 'http_requests_total', type: 'counter', help: 'Requests', labels: [{ name: 'status', values: ['200', '503'] }] }] },
};
export const db: ServiceInput = { name: 'db', image: 'postgres:16.4', ports: [{ name: 'pg', port: 5432 }], stateful: { members: 2 }, volumes: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: '10Gi' }] };
export const worker: ServiceInput = { name: 'worker', image: 'acme/worker:1.4.2', ports: [{ name: 'http', port: 8081 }] };

export const alert = (over: Partial<AlertInput> = {}): AlertInput => ({
  name: 'ApiErrors',
  expr: 'sum by (job) (rate(http_requests_total{status="503"}[5m])) > 1',
  for: '5m',
  severity: 'critical',
  summary: 'Errors on {{ $labels.job }}',
  description: '{{ $value }} errors a second.',
  runbook: RUNBOOK,
  tests: [{ name: 'fires', series: { 'http_requests_total{job="api",instance="a",status="503"}': '0+120x10' }, at: '8m', expect: [{ labels: { job: 'api' }, value: 2 }] }],
  ...over,
});

export const procedure = (over: Partial<ProcedureInput> = {}): ProcedureInput => ({
  name: 'failover',
  title: 'Fail the database over',
  summary: 'The primary is gone.',
  steps: [
    'Confirm the primary is down.',
    { text: 'Promote the replica.', run: { kubernetes: 'kubectl -n {namespace} exec db-1 -- pg_ctl promote', compose: 'docker compose -p {project} -f {compose} exec db-1 pg_ctl promote', hosts: 'ssh db-1 pg_ctl promote' } },
  ],
  panels: [{ dashboard: 'shop-overview', panel: 'Errors' }],
  see: ['rollback'],
  ...over,
});

export const shop = (over: Partial<SystemInput> = {}): SystemInput => ({
  name: 'shop',
  services: [api, db, worker],
  flows: [
    { from: 'api', to: 'db', port: 'pg' },
    { from: 'worker', to: 'api', port: 'http' },
    { from: 'db', to: 'db', port: 'pg' },
  ],
  alerts: [alert(), alert({ severity: 'warning', expr: 'sum by (job) (rate(http_requests_total{status="503"}[5m])) > 0.1' })],
  slos: [{ name: 'api-availability', service: 'api', description: 'Requests succeed', objective: 99.9, sli: { errors: 'http_requests_total{status="503"}', total: 'http_requests_total' } }],
  dashboards: [{ uid: 'shop-overview', title: 'Shop overview', rows: [{ title: 'Traffic', panels: [{ title: 'Errors', description: 'Failed requests.', unit: 'reqps', queries: [{ expr: 'sum(rate(http_requests_total{status="503"}[$__rate_interval]))' }] }] }] }],
  procedures: [procedure(), procedure({ name: 'rollback', title: 'Roll back', summary: 'A release broke.', steps: ['Deploy the previous tag.'], panels: [], see: ['failover'] })],
  ...over,
});

export const TARGETS = {
  kubernetes: { kubernetes: { cluster: 'prod-eu', version: '1.31', secretStore: { name: 'vault' } } },
  compose: { compose: {} },
  hosts: {
    hosts: {
      machines: [
        { name: 'edge-1', address: '10.0.0.1', services: ['api', 'worker'] },
        { name: 'db-host-1', address: '10.0.0.2', services: ['db'] },
        { name: 'db-host-2', address: '10.0.0.3', services: ['db'] },
      ],
    },
  },
} satisfies Record<string, EnvironmentInput['targets']>;

export function environment(system: SystemInput = shop(), extra: Partial<EnvironmentInput> = {}): Environment {
  const input: EnvironmentInput = { name: 'shop-prod', stage: 'development', systems: [system], targets: TARGETS.compose, ...extra };
  const { environment: resolved, issues } = resolveEnvironment(input, { environment: 'environments/shop-prod.ts', system: () => 'environments/systems/shop.ts' });
  if (!resolved) throw new Error(`fixture does not resolve: ${JSON.stringify(issues)}`);
  return resolved;
}
