import { toYaml } from '@kiln/core';
import { describe, expect, it } from 'vitest';
import { ComposeCode } from './codes.js';
import { composeEmitter } from './emitter.js';
import { emit, environment, port, realisticEnvironment, service, SYSTEM_SOURCE } from './fixtures.js';

describe('composeEmitter', () => {
  it('emits nothing for an environment without a compose target', () => {
    const env = environment({ targets: { hosts: { machines: [{ name: 'm1', address: '10.0.0.1', services: ['api'], profile: 'api' }], containerHosts: [] } } });
    expect(composeEmitter.emit(env)).toEqual({ outputs: [], diagnostics: [] });
  });

  it('writes the Compose file and each configuration file under <env>/compose/', () => {
    const { outputs } = emit(realisticEnvironment());
    expect(outputs.map((o) => [o.path, o.format])).toEqual([
      ['shop-local/compose/docker-compose.yml', 'yaml'],
      ['shop-local/compose/config/kv/kv.toml', 'raw'],
    ]);
    expect(outputs[1]).toMatchObject({ text: 'election_timeout_ms = 1000\n' });
  });

  it('names the project in x-kiln and never writes version or name', () => {
    const { compose } = emit(realisticEnvironment());
    expect(Object.keys(compose)).toEqual(['x-kiln', 'services', 'networks', 'volumes', 'secrets']);
    expect(compose['x-kiln']).toEqual({ project: 'shop-local', run: 'docker compose -p shop-local -f docker-compose.yml up -d', environment: ['DB_PASSWORD', 'GATEWAY_TOKEN'] });
  });

  it('writes service keys in a fixed order', () => {
    const { compose } = emit(realisticEnvironment());
    expect(Object.keys(compose.services['kv-1'] ?? {})).toEqual([
      'image', 'labels', 'entrypoint', 'command', 'hostname', 'user', 'environment', 'expose', 'healthcheck', 'deploy',
      'ulimits', 'sysctls', 'read_only', 'security_opt', 'cap_drop', 'tmpfs', 'volumes', 'networks', 'restart', 'stop_signal', 'stop_grace_period',
    ]);
  });

  it('maps command to entrypoint and args to command', () => {
    const api = service('api', { command: ['/bin/api'], args: ['--port', '8080'] });
    const out = emit(environment({ services: [api] })).compose.services['api'];
    expect(out).toMatchObject({ entrypoint: ['/bin/api'], command: ['--port', '8080'] });
  });

  it('mounts configuration files read-only from ./config/<service>/', () => {
    const { compose } = emit(realisticEnvironment());
    expect(compose.services['kv-2']?.volumes).toContainEqual({ type: 'bind', source: './config/kv/kv.toml', target: '/etc/kv/kv.toml', read_only: true });
  });

  it('hardens the container as the security settings say', () => {
    const locked = service('locked', { security: { runAsNonRoot: true, runAsUser: 1000, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false }, scratch: ['/tmp'] });
    const loose = service('loose', { security: { runAsNonRoot: false, readOnlyRootFilesystem: false, allowPrivilegeEscalation: true } });
    const { compose } = emit(environment({ services: [locked, loose] }));
    expect(compose.services['locked']).toMatchObject({ user: '1000', read_only: true, security_opt: ['no-new-privileges:true'], cap_drop: ['ALL'], tmpfs: ['/tmp'], stop_grace_period: '30s' });
    expect(compose.services['loose']).not.toHaveProperty('read_only');
    expect(compose.services['loose']).not.toHaveProperty('security_opt');
    expect(compose.services['loose']).not.toHaveProperty('user');
  });

  it('escapes $ so Compose does not interpolate model values', () => {
    const api = service('api', { env: [{ name: 'PRICE', value: 'costs $5 or ${X}' }], args: ['echo', '$HOME'] });
    const out = emit(environment({ services: [api] })).compose.services['api'];
    expect(out?.environment).toEqual({ PRICE: 'costs $$5 or $${X}' });
    expect(out?.command).toEqual(['echo', '$$HOME']);
  });

  it('reports a member name taken by another service, at that service in the system file', () => {
    const kv = service('kv', { stateful: { ids: [0], maxUnavailable: 1 } });
    const { diagnostics } = emit(environment({ services: [kv, service('kv-0')] }));
    expect(diagnostics.map((d) => [d.code, d.file, d.path])).toEqual([[ComposeCode.COMPOSE_NAME_CONFLICT, SYSTEM_SOURCE, 'services[kv-0]']]);
  });

  it('reports two services that would share a volume name, at the volume in the system file', () => {
    const a = service('a', { volumes: [{ name: 'b-data', mountPath: '/data', size: '1Gi' }] });
    const ab = service('a-b', { volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }] });
    const { diagnostics } = emit(environment({ services: [a, ab] }));
    expect(diagnostics.map((d) => [d.code, d.file, d.path])).toEqual([[ComposeCode.COMPOSE_NAME_CONFLICT, SYSTEM_SOURCE, 'services[a-b].volumes[data]']]);
  });

  it('names every volume <env>_<volume> for Docker and keeps the service-level references', () => {
    const { compose } = emit(realisticEnvironment());
    expect(compose.volumes).toEqual({
      'db-pgdata': { name: 'shop-local_db-pgdata' },
      'kv-1-data': { name: 'shop-local_kv-1-data' },
      'kv-2-data': { name: 'shop-local_kv-2-data' },
      'kv-3-data': { name: 'shop-local_kv-3-data' },
    });
    expect(compose.services['db']?.volumes).toEqual([{ type: 'volume', source: 'db-pgdata', target: '/var/lib/postgresql/data' }]);
  });

  it('reports nothing for a valid realistic environment (node-level sysctls go to the Docker host profile)', () => {
    const { diagnostics } = emit(realisticEnvironment());
    expect(diagnostics).toEqual([]);
  });

  it('is deterministic', () => {
    const first = toYaml(emit(realisticEnvironment()).compose);
    expect(toYaml(emit(realisticEnvironment()).compose)).toBe(first);
    expect(first).not.toContain('/work/');
  });

  it('sorts services by name whatever order the model lists them in', () => {
    const env = environment({ services: [service('zeta', { ports: [port('http', 80)] }), service('alpha')] });
    expect(Object.keys(emit(env).compose.services)).toEqual(['alpha', 'zeta']);
  });
});

describe('schema validation', () => {
  it('turns a document the schema rejects into an error at the service, without throwing', () => {
    // Duplicate scratch paths pass the model today; the Compose schema wants tmpfs items unique.
    const kv = service('kv', { scratch: ['/tmp', '/tmp'], stateful: { ids: [0], maxUnavailable: 1 } });
    const { diagnostics } = emit(environment({ name: 'shop-dev', services: [kv] }));
    expect(diagnostics).toContainEqual(
      expect.objectContaining({ code: ComposeCode.COMPOSE_SCHEMA_INVALID, severity: 'error', file: SYSTEM_SOURCE, path: 'services[kv]', message: expect.stringContaining('/services/kv-0/tmpfs') }),
    );
  });
});

describe('operator paths', () => {
  it('reserve the .env and a secrets folder inside the Compose folder, and nothing outside it', async () => {
    const { operatorPaths } = await import('./emitter.js');
    expect(operatorPaths('shop/compose', './secrets')).toEqual(['shop/compose/.env', 'shop/compose/secrets/']);
    expect(operatorPaths('shop/compose', '../../../secrets/shop')).toEqual(['shop/compose/.env']);
  });
});
