import { describe, expect, it } from 'vitest';
import { emit, environment, realisticEnvironment, service } from './fixtures.js';

describe('stops, restarts and configuration changes', () => {
  it('restarts by stage: on failure in development, unless stopped in staging and production', () => {
    expect(emit(environment()).compose.services['api']?.restart).toBe('on-failure');
    for (const stage of ['staging', 'production'] as const) {
      const { compose } = emit({ ...realisticEnvironment(), stage });
      for (const [name, out] of Object.entries(compose.services)) expect(out.restart, name).toBe('unless-stopped');
    }
  });

  it('sends the stop signal the service drains on, and waits its grace period', () => {
    const { compose } = emit(environment({ services: [service('api', { stopSignal: 'SIGINT', shutdownTimeoutSeconds: 30, terminationGracePeriodSeconds: 40 }), service('web')] }));
    expect(compose.services['api']).toMatchObject({ stop_signal: 'SIGINT', stop_grace_period: '40s' });
    // Nothing declared: the image's STOPSIGNAL stays in force.
    expect(compose.services['web']?.stop_signal).toBeUndefined();
  });

  it('labels a service with the hash of its configuration files, so a change recreates it', () => {
    const config = (text: string) => service('kv', { config: { mountPath: '/etc/kv', files: { 'kv.toml': text } } });
    const label = (text: string) => emit(environment({ services: [config(text)] })).compose.services['kv']?.labels?.['kiln.dev/config-hash'];
    expect(label('a = 1\n')).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(label('a = 1\n')).toBe(label('a = 1\n'));
    expect(label('a = 2\n')).not.toBe(label('a = 1\n'));
    expect(emit(environment()).compose.services['api']?.labels).toBeUndefined();
  });
});
