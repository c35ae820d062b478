import { servicesOf } from '@kiln/model';
import type { Environment } from '@kiln/model';
import { environmentIndex } from '@kiln/promql';
import { describe, expect, it } from 'vitest';
import { concernedServices, jobMatches } from './concerns.js';
import { alert, api, environment, shop, worker } from './fixtures.js';

/** The services each alert of the environment concerns, by alert name. */
function concerns(env: Environment): Record<string, string[]> {
  const index = environmentIndex(env);
  const system = env.systems[0];
  if (!system) throw new Error('no system');
  return Object.fromEntries(system.alerts.map((a) => [a.name, concernedServices(env, index, system, a).map((s) => s.name)]));
}

const test = { name: 'fires', series: { 'x{job="api",instance="a"}': '1x10' }, at: '5m', expect: [{ labels: {} }] };

describe('the services an alert concerns', () => {
  it('follows the metrics the expression selects, through recording rules, to the services that export them', () => {
    const workerWithMetrics = { ...worker, ports: [{ name: 'http', port: 8081 }, { name: 'metrics', port: 9091 }], metrics: { port: 'metrics', exports: [{ name: 'jobs_total', type: 'counter' as const, help: 'Jobs' }] } };
    const env = environment(
      shop({
        services: [api, workerWithMetrics],
        flows: [],
        slos: [],
        procedures: [],
        recordingRules: [{ record: 'job:jobs:rate5m', expr: 'sum by (job) (rate(jobs_total[5m]))' }],
        alerts: [alert(), alert({ name: 'SlowJobs', expr: 'job:jobs:rate5m < 1', tests: [test] })],
      }),
    );
    expect(concerns(env)).toEqual({ ApiErrors: ['api'], SlowJobs: ['worker'] });
  });

  it('adds the services job matchers name, anchored as Prometheus anchors regexes', () => {
    const env = environment(shop({ alerts: [alert({ name: 'Down', expr: 'up{job=~"work.*|db"} == 0', tests: [test] })] }));
    expect(concerns(env)['Down']).toEqual(['db', 'worker']);
    expect(jobMatches('up{job="api"} or up{job!="db"} or up{job=~"wor"}', servicesOf(env))).toEqual(['api']);
  });

  it("takes an SLO's service for its alerts, and the whole system when nothing names a service", () => {
    const env = environment(shop({ alerts: [alert({ name: 'Anything', expr: 'vector(1) > 0', tests: [test] })] }));
    const all = concerns(env);
    expect(all['ApiAvailabilitySliAbsent']).toEqual(['api']);
    expect(all['Anything']).toEqual(['api', 'db', 'worker']);
  });
});
