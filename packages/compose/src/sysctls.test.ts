import { describe, expect, it } from 'vitest';
import { emit, environment, service } from './fixtures.js';

describe('sysctls', () => {
  const api = service('api', {
    sysctls: { 'fs.file-max': '2097152', 'kernel.shmmax': '68719476736', 'net.core.rmem_max': '26214400', 'net.core.somaxconn': '4096', 'vm.swappiness': '1' },
  });

  it('keep only the namespaced ones a container can set', () => {
    const { compose } = emit(environment({ services: [api] }));
    expect(compose.services['api']?.sysctls).toEqual({ 'kernel.shmmax': '68719476736', 'net.core.somaxconn': '4096' });
  });

  it('leave the node-level ones to the Docker host profile, without a warning', () => {
    const { compose, diagnostics } = emit(environment({ services: [api] }));
    expect(diagnostics).toEqual([]);
    expect(Object.keys(compose.services['api']?.sysctls ?? {})).not.toContain('fs.file-max');
  });

  it('give a stateful service with only node-level ones no sysctls', () => {
    const kv = service('kv', { sysctls: { 'vm.max_map_count': '262144' }, stateful: { ids: [0, 1, 2], maxUnavailable: 1 } });
    const { compose } = emit(environment({ services: [kv] }));
    expect(compose.services['kv-0']).not.toHaveProperty('sysctls');
  });
});

describe('ulimits', () => {
  it('are always written with soft and hard', () => {
    const api = service('api', { ulimits: { nofile: { soft: 65536, hard: 65536 }, nproc: { soft: 1024, hard: 4096 } } });
    const { compose } = emit(environment({ services: [api] }));
    expect(compose.services['api']?.ulimits).toEqual({ nofile: { soft: 65536, hard: 65536 }, nproc: { soft: 1024, hard: 4096 } });
  });
});
