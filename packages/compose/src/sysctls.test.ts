import { describe, expect, it } from 'vitest';
import { ComposeCode } from './codes.js';
import { emit, environment, service, SYSTEM_SOURCE } from './fixtures.js';

describe('sysctls', () => {
  const api = service('api', {
    sysctls: { 'fs.file-max': '2097152', 'kernel.shmmax': '68719476736', 'net.core.rmem_max': '26214400', 'net.core.somaxconn': '4096', 'vm.swappiness': '1' },
  });

  it('keep only the namespaced ones a container can set', () => {
    const { compose } = emit(environment({ services: [api] }));
    expect(compose.services['api']?.sysctls).toEqual({ 'kernel.shmmax': '68719476736', 'net.core.somaxconn': '4096' });
  });

  it('warn about each node-level one, at its place in the system file', () => {
    const { diagnostics } = emit(environment({ services: [api] }));
    expect(diagnostics.map((d) => [d.code, d.severity, d.file, d.path])).toEqual([
      [ComposeCode.COMPOSE_SYSCTL_NODE_LEVEL, 'warning', SYSTEM_SOURCE, 'services[api].tuning.sysctls["fs.file-max"]'],
      [ComposeCode.COMPOSE_SYSCTL_NODE_LEVEL, 'warning', SYSTEM_SOURCE, 'services[api].tuning.sysctls["net.core.rmem_max"]'],
      [ComposeCode.COMPOSE_SYSCTL_NODE_LEVEL, 'warning', SYSTEM_SOURCE, 'services[api].tuning.sysctls["vm.swappiness"]'],
    ]);
    expect(diagnostics[0]?.hint).toContain('/etc/sysctl.d');
  });

  it('warn once for a stateful service, not once per member', () => {
    const kv = service('kv', { sysctls: { 'vm.max_map_count': '262144' }, stateful: { ids: [0, 1, 2], maxUnavailable: 1 } });
    const { compose, diagnostics } = emit(environment({ services: [kv] }));
    expect(diagnostics).toHaveLength(1);
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
