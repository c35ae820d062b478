import { describe, expect, it } from 'vitest';
import { emit, environment, probe, service } from './fixtures.js';

function healthcheckOf(probes: Parameters<typeof service>[1]) {
  return emit(environment({ services: [service('api', probes)] })).compose.services['api']?.healthcheck;
}

describe('healthcheck', () => {
  it('runs an exec probe as CMD', () => {
    expect(healthcheckOf({ probes: { readiness: probe({ kind: 'exec', command: ['pg_isready', '-q'] }) } })?.test).toEqual(['CMD', 'pg_isready', '-q']);
  });

  it('runs an http probe with curl against loopback', () => {
    expect(healthcheckOf({ probes: { readiness: probe({ kind: 'http', path: '/ready', port: 8080 }) } })?.test).toEqual(['CMD', 'curl', '-fsS', 'http://127.0.0.1:8080/ready']);
  });

  it('runs a tcp probe through bash /dev/tcp', () => {
    expect(healthcheckOf({ probes: { readiness: probe({ kind: 'tcp', port: 5432 }) } })?.test).toEqual(['CMD', 'bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/5432']);
  });

  it('prefers readiness over liveness and copies the timings', () => {
    const readiness = probe({ kind: 'http', path: '/ready', port: 80 }, { periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 4, initialDelaySeconds: 7 });
    const liveness = probe({ kind: 'http', path: '/live', port: 80 });
    expect(healthcheckOf({ probes: { readiness, liveness } })).toEqual({
      test: ['CMD', 'curl', '-fsS', 'http://127.0.0.1:80/ready'],
      interval: '5s',
      timeout: '2s',
      retries: 4,
      start_period: '7s',
    });
  });

  it('falls back to liveness', () => {
    expect(healthcheckOf({ probes: { liveness: probe({ kind: 'tcp', port: 80 }) } })?.test).toContain('exec 3<>/dev/tcp/127.0.0.1/80');
  });

  it('takes the start period from a startup probe', () => {
    const startup = probe({ kind: 'tcp', port: 80 }, { failureThreshold: 30, periodSeconds: 2 });
    expect(healthcheckOf({ probes: { liveness: probe({ kind: 'tcp', port: 80 }), startup } })?.start_period).toBe('60s');
  });

  it('is absent without readiness or liveness', () => {
    expect(healthcheckOf({ probes: { startup: probe({ kind: 'tcp', port: 80 }) } })).toBeUndefined();
  });
});

describe('depends_on', () => {
  it('waits for health where the dependency has a check, for the start otherwise', () => {
    const db = service('db', { probes: { readiness: probe({ kind: 'exec', command: ['pg_isready'] }) } });
    const cache = service('cache');
    const api = service('api', { dependsOn: ['cache', 'db'] });
    const { compose } = emit(environment({ services: [api, cache, db] }));
    expect(compose.services['api']?.depends_on).toEqual({ cache: { condition: 'service_started' }, db: { condition: 'service_healthy' } });
    expect(compose.services['db']).not.toHaveProperty('depends_on');
  });

  it('waits only for the start of a service whose readiness waits on its callers', () => {
    const director = service('director', { publishNotReadyAddresses: true, probes: { readiness: probe({ kind: 'exec', command: ['health-check', '--endpoint=ready'] }) } });
    const worker = service('worker', { dependsOn: ['director'] });
    const { compose } = emit(environment({ services: [director, worker] }));
    expect(compose.services['worker']?.depends_on).toEqual({ director: { condition: 'service_started' } });
    expect(compose.services['director']?.healthcheck).toBeDefined();
  });
});
