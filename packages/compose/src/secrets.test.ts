import { toYaml } from '@kiln/core';
import { describe, expect, it } from 'vitest';
import { ComposeCode } from './codes.js';
import { emit, environment, service, SYSTEM_SOURCE } from './fixtures.js';

const api = service('api', {
  env: [
    { name: 'API_TOKEN', secret: { name: 'api', key: 'token' } },
    { name: 'DB_PASSWORD', secret: { name: 'db-password', key: 'value' } },
    { name: 'LOG_LEVEL', value: 'debug' },
  ],
});

describe('secrets', () => {
  it('become <NAME>_FILE variables pointing at mounted file secrets', () => {
    const { compose } = emit(environment({ services: [api] }));
    const out = compose.services['api'];
    expect(out?.environment).toEqual({
      API_TOKEN_FILE: '/run/secrets/api.token',
      DB_PASSWORD_FILE: '/run/secrets/db-password',
      LOG_LEVEL: 'debug',
    });
    expect(out?.secrets).toEqual([
      { source: 'api.token', target: 'api.token' },
      { source: 'db-password', target: 'db-password' },
    ]);
    expect(compose.secrets).toEqual({ 'api.token': { file: './secrets/api.token' }, 'db-password': { file: './secrets/db-password' } });
  });

  it('never put a secret variable itself in the environment', () => {
    const { compose } = emit(environment({ services: [api] }));
    const yaml = toYaml(compose);
    expect(compose.services['api']?.environment).not.toHaveProperty('DB_PASSWORD');
    expect(yaml).not.toMatch(/^\s*(DB_PASSWORD|API_TOKEN):/m);
  });

  it('live in the target’s secrets directory', () => {
    const env = environment({ services: [api], targets: { compose: { secretsDir: '../private/' } } });
    expect(emit(env).compose.secrets?.['db-password']).toEqual({ file: '../private/db-password' });
  });

  it('are declared once when two services read the same one', () => {
    const worker = service('worker', { env: [{ name: 'PGPASSWORD', secret: { name: 'db-password', key: 'value' } }] });
    const { compose } = emit(environment({ services: [api, worker] }));
    expect(Object.keys(compose.secrets ?? {})).toEqual(['api.token', 'db-password']);
  });

  it('are absent when nothing reads one', () => {
    expect(emit(environment()).compose).not.toHaveProperty('secrets');
  });

  it('report a <NAME>_FILE the service already sets', () => {
    const clash = service('api', {
      env: [
        { name: 'DB_PASSWORD', secret: { name: 'db-password', key: 'value' } },
        { name: 'DB_PASSWORD_FILE', value: '/etc/pw' },
      ],
    });
    const { diagnostics } = emit(environment({ services: [clash] }));
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: ComposeCode.COMPOSE_ENV_CONFLICT, severity: 'error', file: SYSTEM_SOURCE, path: 'services[api].env.DB_PASSWORD_FILE' }),
    ]);
  });
});

describe('secret files', () => {
  it('mount a secret at the path the software reads, from the same secret file', () => {
    const rpc = service('rpc', { secretFiles: [{ path: '/etc/rpcnet/certs/server.key', secret: { name: 'rpcnet-tls', key: 'tls.key' } }] });
    const { compose } = emit(environment({ services: [rpc] }));
    expect(compose.services.rpc?.secrets).toEqual([{ source: 'rpcnet-tls.tls.key', target: '/etc/rpcnet/certs/server.key' }]);
    expect(compose.secrets).toEqual({ 'rpcnet-tls.tls.key': { file: './secrets/rpcnet-tls.tls.key' } });
    expect(compose.services.rpc?.environment).toBeUndefined();
  });
});
