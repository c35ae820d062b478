import { toYaml } from '@kiln/core';
import { describe, expect, it } from 'vitest';
import { ComposeCode } from './codes.js';
import { emit, environment, service, SYSTEM_SOURCE, tlsEnvironment } from './fixtures.js';
import { requiredVariables, secretVariable } from './secret-variables.js';

const api = service('api', {
  env: [
    { name: 'API_TOKEN', secret: { name: 'api', key: 'token' } },
    { name: 'DB_PASSWORD', secret: { name: 'db-password', key: 'value' } },
    { name: 'LOG_LEVEL', value: 'debug' },
  ],
});

describe('secret environment variables', () => {
  it('are the variable itself, a required interpolation of the secret’s shell variable', () => {
    const { compose } = emit(environment({ services: [api] }));
    expect(compose.services['api']?.environment).toEqual({
      API_TOKEN: '${API_TOKEN:?API_TOKEN is not set}',
      DB_PASSWORD: '${DB_PASSWORD:?DB_PASSWORD is not set}',
      LOG_LEVEL: 'debug',
    });
  });

  it('are not mounted as files, and no <NAME>_FILE is set', () => {
    const { compose } = emit(environment({ services: [api] }));
    expect(compose.services['api']).not.toHaveProperty('secrets');
    expect(compose).not.toHaveProperty('secrets');
    expect(toYaml(compose)).not.toContain('_FILE');
  });

  it('name the shell variable after the secret and key', () => {
    expect(secretVariable({ name: 'veza-jwt-secret', key: 'value' })).toBe('VEZA_JWT_SECRET');
    expect(secretVariable({ name: 'rpcnet-tls', key: 'tls.key' })).toBe('RPCNET_TLS_TLS_KEY');
    expect(secretVariable({ name: 'api', key: 'Token-2' })).toBe('API_TOKEN_2');
    expect(secretVariable({ name: '1password', key: 'value' })).toBe('_1PASSWORD');
  });

  it('leave the interpolation live while plain values are escaped', () => {
    const svc = service('api', { env: [{ name: 'JWT', secret: { name: 'veza-jwt-secret', key: 'value' } }, { name: 'PRICE', value: '${JWT}' }] });
    const { compose } = emit(environment({ services: [svc] }));
    expect(compose.services['api']?.environment).toEqual({ JWT: '${VEZA_JWT_SECRET:?VEZA_JWT_SECRET is not set}', PRICE: '$${JWT}' });
  });

  it('are listed, sorted and once, in x-kiln.environment for the operator to set', () => {
    const worker = service('worker', { env: [{ name: 'PGPASSWORD', secret: { name: 'db-password', key: 'value' } }] });
    const { compose } = emit(environment({ services: [worker, api] }));
    expect(compose['x-kiln'].environment).toEqual(['API_TOKEN', 'DB_PASSWORD']);
    expect(requiredVariables(compose)).toEqual(['API_TOKEN', 'DB_PASSWORD']);
  });

  it('leave x-kiln.environment out when no variable is a secret', () => {
    const { compose } = emit(environment());
    expect(compose['x-kiln']).not.toHaveProperty('environment');
    expect(requiredVariables(compose)).toEqual([]);
    expect(requiredVariables('not a compose file')).toEqual([]);
  });

  it('report two different secrets that would be read from one variable', () => {
    const worker = service('worker', { env: [{ name: 'PW', secret: { name: 'db', key: 'password' } }] });
    const { diagnostics } = emit(environment({ services: [api, worker] }));
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: ComposeCode.COMPOSE_SECRET_VARIABLE_CONFLICT,
        severity: 'error',
        file: SYSTEM_SOURCE,
        path: 'services[worker].env.PW',
        message: expect.stringContaining("secret('db-password') and secret('db', 'password')"),
      }),
    ]);
  });
});

describe('secret files', () => {
  const rpc = service('rpc', { secretFiles: [{ path: '/etc/rpcnet/certs/server.key', secret: { name: 'rpcnet-tls', key: 'tls.key' } }] });

  it('mount a secret at the path the software reads, from the same secret file', () => {
    const { compose } = emit(environment({ services: [rpc] }));
    expect(compose.services.rpc?.secrets).toEqual([{ source: 'rpcnet-tls.tls.key', target: '/etc/rpcnet/certs/server.key' }]);
    expect(compose.secrets).toEqual({ 'rpcnet-tls.tls.key': { file: './secrets/rpcnet-tls.tls.key' } });
    expect(compose.services.rpc?.environment).toBeUndefined();
    expect(compose['x-kiln']).not.toHaveProperty('environment');
  });

  it('live in the target’s secrets directory', () => {
    const env = environment({ services: [rpc], targets: { compose: { secretsDir: '../private/', hostProfile: 'docker-host' } } });
    expect(emit(env).compose.secrets?.['rpcnet-tls.tls.key']).toEqual({ file: '../private/rpcnet-tls.tls.key' });
  });

  it('are declared once when two services mount the same one, and only the files among a service’s secrets', () => {
    const proxy = service('proxy', {
      env: [{ name: 'DB_PASSWORD', secret: { name: 'db-password', key: 'value' } }],
      secretFiles: [{ path: '/tls/key', secret: { name: 'rpcnet-tls', key: 'tls.key' } }],
    });
    const { compose } = emit(environment({ services: [rpc, proxy] }));
    expect(Object.keys(compose.secrets ?? {})).toEqual(['rpcnet-tls.tls.key']);
    expect(compose.services['proxy']?.secrets).toEqual([{ source: 'rpcnet-tls.tls.key', target: '/tls/key' }]);
  });
});

describe('TLS certificates', () => {
  it('are secret files of <service>-tls where the process reads them, and URLs to the port are wss://', () => {
    const { compose, diagnostics } = emit(tlsEnvironment());
    expect(diagnostics).toEqual([]);
    expect(compose.services['chat']?.secrets).toEqual([
      { source: 'chat-tls.tls.crt', target: '/certs/server.crt' },
      { source: 'chat-tls.tls.key', target: '/certs/server.key' },
    ]);
    expect(compose.services['gateway']?.secrets?.map((s) => s.source)).toEqual(['gateway-tls.ca.crt', 'gateway-tls.tls.crt', 'gateway-tls.tls.key']);
    expect(compose.secrets?.['chat-tls.tls.key']).toEqual({ file: './secrets/chat-tls.tls.key' });
    expect(compose.services['gateway']?.environment).toEqual({ CHAT_URL: 'wss://chat:8082' });
    expect(compose.services['chat']?.healthcheck?.test).toEqual(['CMD', 'curl', '-fsSk', 'https://127.0.0.1:8082/ready']);
  });
});
