import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ComposeCode } from './codes.js';
import { emit, environment, probe, service } from './fixtures.js';

/** The healthcheck of a service whose image ships curl and bash, unless the parts say otherwise. */
function healthcheckOf(parts: Parameters<typeof service>[1]) {
  return emit(environment({ services: [service('api', { tools: ['bash', 'curl'], ...parts })] })).compose.services['api']?.healthcheck;
}

describe('healthcheck', () => {
  it('runs an exec probe as CMD', () => {
    expect(healthcheckOf({ probes: { readiness: probe({ kind: 'exec', command: ['pg_isready', '-q'] }) } })?.test).toEqual(['CMD', 'pg_isready', '-q']);
  });

  it('runs an http probe with curl against loopback', () => {
    expect(healthcheckOf({ probes: { readiness: probe({ kind: 'http', path: '/ready', port: 8080 }) } })?.test).toEqual(['CMD', 'curl', '-fsS', 'http://127.0.0.1:8080/ready']);
  });

  it('checks a TLS port over HTTPS, not verifying a certificate that names the service', () => {
    expect(healthcheckOf({ probes: { readiness: probe({ kind: 'http', path: '/ready', port: 8443, tls: true }) } })?.test).toEqual(['CMD', 'curl', '-fsSk', 'https://127.0.0.1:8443/ready']);
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

  it('runs an http probe with the first program the image declares: curl, then wget, then bash', () => {
    const http = { probes: { readiness: probe({ kind: 'http', path: '/ready?x=1', port: 8080 }) } };
    expect(healthcheckOf({ ...http, tools: ['wget', 'curl'] })?.test).toEqual(['CMD', 'curl', '-fsS', 'http://127.0.0.1:8080/ready?x=1']);
    expect(healthcheckOf({ ...http, tools: ['sh', 'wget'] })?.test).toEqual(['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/ready?x=1']);
    expect(healthcheckOf({ ...http, tools: ['bash'] })?.test).toEqual([
      'CMD',
      'bash',
      '-c',
      `exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET %s HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n' "$$1" >&3 && read -r _ status _ <&3 && [ "$$status" -ge 200 ] && [ "$$status" -lt 400 ]`,
      'bash',
      '/ready?x=1',
    ]);
    expect(healthcheckOf({ probes: { readiness: probe({ kind: 'http', path: '/ready', port: 8443, tls: true }) }, tools: ['wget'] })?.test).toEqual(['CMD', 'wget', '-q', '-O', '/dev/null', '--no-check-certificate', 'https://127.0.0.1:8443/ready']);
  });

  // Runs bash four times: a real tool, so a timeout fit for a busy machine, not vitest's 5 s.
  it("passes bash's HTTP check on a status from 200 to 399 and fails it otherwise, as the kubelet does", { timeout: 120_000 }, async () => {
    const server = createServer((request, response) => {
      response.writeHead(Number(new URL(request.url ?? '/', 'http://x').searchParams.get('status')), { connection: 'close' });
      response.end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    try {
      const run = (status: number) => {
        const test = healthcheckOf({ probes: { readiness: probe({ kind: 'http', path: `/health?status=${status}`, port }) }, tools: ['bash'] })?.test ?? [];
        // Compose reads `$$` as `$`; CMD runs the rest as it stands.
        const [, program = '', ...args] = test.map((part) => part.replaceAll('$$', '$'));
        return new Promise<number>((done) => execFile(program, args, { timeout: 60_000 }, (error) => done(error ? Number(error.code ?? 1) : 0)));
      };
      expect(await run(200)).toBe(0);
      expect(await run(302)).toBe(0);
      expect(await run(503)).not.toBe(0);
      expect(await run(404)).not.toBe(0);
    } finally {
      server.close();
    }
  });

  it('refuses a probe the image has no program for, and writes no check', () => {
    const refused = (parts: Parameters<typeof service>[1]) => {
      const { compose, diagnostics } = emit(environment({ services: [service('api', parts)] }));
      expect(compose.services['api']?.healthcheck).toBeUndefined();
      return diagnostics.map((d) => [d.code, d.severity, d.file, d.path]);
    };
    const error = [[ComposeCode.COMPOSE_HEALTHCHECK_TOOL_MISSING, 'error', 'environments/systems/shop.ts', 'services[api].tools']];
    expect(refused({ probes: { readiness: probe({ kind: 'tcp', port: 5432 }) }, tools: ['sh'] })).toEqual(error);
    expect(refused({ probes: { liveness: probe({ kind: 'http', path: '/live', port: 80 }) } })).toEqual(error);
    // bash speaks no TLS.
    expect(refused({ probes: { readiness: probe({ kind: 'http', path: '/ready', port: 8443, tls: true }) }, tools: ['bash'] })).toEqual(error);
    // The author's own command is the author's to know.
    expect(emit(environment({ services: [service('api', { probes: { readiness: probe({ kind: 'exec', command: ['pg_isready'] }) } })] })).diagnostics).toEqual([]);
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
