import { describe, expect, it } from 'vitest';
import { emit, environment, service } from './fixtures.js';
import { dockerCpus, dockerMemory } from './resources.js';

describe('dockerCpus', () => {
  it('writes cores as a decimal string', () => {
    expect(dockerCpus('1500m')).toBe('1.5');
    expect(dockerCpus('250m')).toBe('0.25');
    expect(dockerCpus('2')).toBe('2');
    expect(dockerCpus('1m')).toBe('0.001');
  });
});

describe('dockerMemory', () => {
  it('uses the largest binary unit that divides the size', () => {
    expect(dockerMemory('512Mi')).toBe('512m');
    expect(dockerMemory('4Gi')).toBe('4g');
    expect(dockerMemory('1536Mi')).toBe('1536m');
    expect(dockerMemory('64Ki')).toBe('64k');
  });

  it('falls back to plain bytes for decimal sizes', () => {
    expect(dockerMemory('1G')).toBe('1000000000');
    expect(dockerMemory('500M')).toBe('500000000');
  });
});

describe('deploy', () => {
  it('takes limits from limits and reservations from requests', () => {
    const api = service('api', { resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1500m', memory: '4Gi' } } });
    const { compose } = emit(environment({ services: [api] }));
    expect(compose.services['api']?.deploy).toEqual({
      resources: { limits: { cpus: '1.5', memory: '4g' }, reservations: { cpus: '0.5', memory: '512m' } },
    });
  });

  it('leaves deploy out when there is nothing to say', () => {
    const { compose } = emit(environment({ services: [service('api')] }));
    expect(compose.services['api']).not.toHaveProperty('deploy');
  });

  it('sets replicas only when they differ from one', () => {
    const workers = service('worker', { scaling: { kind: 'fixed', replicas: 3 } });
    const scaled = service('scaled', { scaling: { kind: 'autoscaled', minReplicas: 2, maxReplicas: 5, podsMetrics: [] } });
    const { compose } = emit(environment({ services: [workers, scaled, service('api')] }));
    expect(compose.services['worker']?.deploy).toEqual({ replicas: 3 });
    expect(compose.services['scaled']?.deploy).toEqual({ replicas: 2 });
    expect(compose.services['api']).not.toHaveProperty('deploy');
  });
});
