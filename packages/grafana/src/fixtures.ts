/** Test builders: a resolved environment with one monitored system and its dashboards, from input through the model. */
import type { DashboardInput, Environment, EnvironmentInput, PanelInput, ServiceInput, SystemInput } from '@kiln/model';
import { resolveEnvironment } from '@kiln/model';

export const api = (over: Partial<ServiceInput> = {}): ServiceInput => ({
  name: 'api',
  image: 'acme/api:1.4.2',
  ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }],
  metrics: {
    port: 'metrics',
    exports: [
      { name: 'http_requests_total', type: 'counter', help: 'Requests', labels: [{ name: 'status', values: ['200', '503'] }] },
      { name: 'http_request_duration_seconds', type: 'histogram', help: 'Latency', unit: 'seconds' },
      { name: 'queue_depth', type: 'gauge', help: 'Waiting orders' },
    ],
  },
  ...over,
});

export const panel = (over: Partial<PanelInput> = {}): PanelInput => ({
  title: 'Request rate',
  description: 'Requests a second, by status.',
  unit: 'reqps',
  queries: [{ expr: 'sum by (status) (rate(http_requests_total[$__rate_interval]))', legend: '{{status}}' }],
  ...over,
});

export const dashboard = (over: Partial<DashboardInput> = {}): DashboardInput => ({
  title: 'Shop overview',
  rows: [{ title: 'Traffic', panels: [panel()] }],
  ...over,
});

/** One row of the given panels. */
export const withPanels = (...panels: PanelInput[]): DashboardInput => dashboard({ rows: [{ title: 'Traffic', panels }] });

export function environment(system: Partial<SystemInput> = {}, extra: Partial<EnvironmentInput> = {}): Environment {
  const input: EnvironmentInput = {
    name: 'shop-prod',
    stage: 'development',
    systems: [{ name: 'shop', services: [api()], dashboards: [dashboard()], ...system }],
    targets: { compose: {} },
    ...extra,
  };
  const { environment, issues } = resolveEnvironment(input, { environment: 'environments/shop-prod.ts', system: () => 'environments/systems/shop.ts' });
  if (!environment) throw new Error(`fixture does not resolve: ${JSON.stringify(issues)}`);
  return environment;
}

export const kubernetes: Partial<EnvironmentInput> = { targets: { kubernetes: { cluster: 'prod', version: '1.31', secretStore: { name: 'vault' } } } };
