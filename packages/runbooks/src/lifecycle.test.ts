import { secret } from '@kiln/model';
import { describe, expect, it } from 'vitest';
import { api, db, environment, shop, TARGETS, worker } from './fixtures.js';
import { indexContext } from './readme.js';
import { rich } from './markdown.js';

/** The shop with an API that drains on SIGINT and restarts on its JWT secret, and a database that reloads its TLS files. */
const rotating = shop({
  services: [
    { ...api, stopSignal: 'SIGINT', shutdownTimeoutSeconds: 30, tools: ['sh'], env: { JWT_SECRET: secret('jwt') }, secretRotation: { jwt: 'restart' } },
    { ...db, secretFiles: [{ path: '/tls/tls.crt', secret: 'db-tls', key: 'tls.crt' }], secretRotation: { 'db-tls': 'reload' } },
    worker,
  ],
});
const text = (segments: Parameters<typeof rich>[0]) => rich(segments);

describe('the index on stops, restarts and secret rotation', () => {
  it('says how each target sends the stop signal, and the grace period', () => {
    const context = indexContext(environment(rotating, { targets: { ...TARGETS.kubernetes, ...TARGETS.compose } }));
    const stop = context.stops.find((row) => row.service === 'api');
    expect(stop).toMatchObject({ signal: 'SIGINT', grace: '40s (its own shutdown: up to 30s)' });
    expect(text(stop?.sent ?? [])).toContain('Kubernetes: a preStop hook, `["/bin/sh","-c","kill -INT 1"]`');
    expect(text(stop?.sent ?? [])).toContain('Docker Compose: `stop_signal: SIGINT`');
    expect(context.stops.find((row) => row.service === 'worker')?.signal).toBe('not declared');
  });

  it('says who restarts what crashed, per target', () => {
    const restarts = (targets: object, stage: 'development' | 'production' = 'development') => indexContext(environment(rotating, { stage, targets })).restarts.map(text);
    expect(restarts(TARGETS.compose, 'production')).toEqual(['Docker Compose: Docker restarts containers `restart: unless-stopped`, as the production stage has it.']);
    expect(restarts(TARGETS.hosts)[0]).toContain('`Restart=on-failure`');
  });

  it('says which secrets restart the pods and which the application reloads', () => {
    const rotations = indexContext(environment(rotating, { targets: TARGETS.kubernetes })).rotations;
    expect(rotations.map(({ secret: name, service, mode }) => [name, service, mode])).toEqual([
      ['db-tls', 'db', 'reload'],
      ['jwt', 'api', 'restart'],
    ]);
    expect(text(rotations[1]?.how ?? [])).toContain('Stakater Reloader');
    const compose = indexContext(environment(rotating)).rotations.find((row) => row.mode === 'restart');
    expect(text(compose?.how ?? [])).toContain('up -d --force-recreate api');
    expect(indexContext(environment()).rotations).toEqual([]);
  });
});
