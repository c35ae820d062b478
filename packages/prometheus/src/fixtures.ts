/** Test builders: a resolved environment with one monitored system, from input through the model. */
import type { AlertInput, Environment, EnvironmentInput, ServiceInput, SystemInput } from '@kiln/model';
import { resolveEnvironment } from '@kiln/model';

export const RUNBOOK = { impact: 'Orders fail.', diagnosis: ['Look at the errors.'], mitigation: ['Roll back.'] };

export const api = (over: Partial<ServiceInput> = {}): ServiceInput => ({
  name: 'api',
  image: 'acme/api:1.4.2',
  ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }],
  metrics: {
    port: 'metrics',
    exports: [
      { name: 'http_requests_total', type: 'counter', help: 'Requests', labels: [{ name: 'status', values: ['200', '503'] }] },
      { name: 'queue_depth', type: 'gauge', help: 'Waiting orders' },
    ],
  },
  ...over,
});

export const errorsAlert = (over: Partial<AlertInput> = {}): AlertInput => ({
  name: 'ApiErrors',
  expr: 'sum by (job) (rate(http_requests_total{status="503"}[5m])) > 1',
  severity: 'critical',
  summary: 'Errors on {{ $labels.job }}',
  description: '{{ $value }} errors a second.',
  runbook: RUNBOOK,
  tests: [{ name: 'fires', series: { 'http_requests_total{job="api",instance="a",status="503"}': '0+120x10' }, at: '8m', expect: [{ labels: { job: 'api' }, value: 2 }] }],
  ...over,
});

export function environment(system: Partial<SystemInput> = {}, extra: Partial<EnvironmentInput> = {}): Environment {
  const input: EnvironmentInput = {
    name: 'shop-prod',
    stage: 'development',
    systems: [{ name: 'shop', services: [api()], ...system }],
    targets: { compose: {} },
    ...extra,
  };
  const { environment, issues } = resolveEnvironment(input, { environment: 'environments/shop-prod.ts', system: () => 'environments/systems/shop.ts' });
  if (!environment) throw new Error(`fixture does not resolve: ${JSON.stringify(issues)}`);
  return environment;
}
