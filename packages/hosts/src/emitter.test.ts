import { resolveEnvironment } from '@kiln/model';
import type { EnvironmentInput } from '@kiln/model';
import { describe, expect, it } from 'vitest';
import { hostsEmitter } from './emitter.js';

function emit(targets: EnvironmentInput['targets'], tuning: NonNullable<EnvironmentInput['systems'][number]['services']>[number]['tuning']) {
  const input: EnvironmentInput = { name: 'shop', stage: 'development', systems: [{ name: 'shop', services: [{ name: 'api', image: 'acme/api:1.0.0', tuning }], flows: [] }], targets };
  const { environment, issues } = resolveEnvironment(input, { environment: 'environments/shop.ts', system: () => undefined });
  if (!environment) throw new Error(JSON.stringify(issues));
  return hostsEmitter.emit(environment);
}

describe('hostsEmitter', () => {
  it('writes only the folders a target needs', () => {
    expect(emit({ compose: {} }, { sysctls: { 'net.core.somaxconn': 4096 } }).outputs).toEqual([]);
    expect(emit({ compose: {} }, { sysctls: { 'vm.swappiness': { value: 1, reason: 'keep the heap in memory' } } }).outputs.map((o) => o.path)).toEqual(['shop/host/sysctl.d/90-docker-host.conf']);
    const hosts = emit({ hosts: { machines: [{ name: 'm1', address: 'a', services: ['api'] }] } }, { ulimits: { nofile: 1024 } });
    expect(hosts.outputs.map((o) => o.path)).toEqual(['shop/host/limits.d/90-api.conf', 'shop/host/systemd/api.service.d/90-kiln.conf']);
  });

  it('comments each sysctl with its service and reason, on one line', () => {
    const [file] = emit({ compose: {} }, { sysctls: { 'vm.swappiness': { value: 1, reason: 'keep the heap\nin memory' } } }).outputs;
    expect(file && 'text' in file ? file.text : '').toContain('# api: keep the heap in memory\n# node-level: ');
    expect(file && 'text' in file ? file.text : '').toContain('\nvm.swappiness = 1\n');
  });

  it('writes size limits in KiB for pam_limits and in bytes for systemd, from one value in bytes', () => {
    const { outputs } = emit({ hosts: { machines: [{ name: 'm1', address: 'a', services: ['api'] }] } }, { ulimits: { memlock: 65536, nofile: 1024 } });
    const text = (path: string) => {
      const file = outputs.find((o) => o.path.endsWith(path));
      return file && 'text' in file ? file.text : '';
    };
    expect(text('limits.d/90-api.conf')).toContain(' soft memlock 64\n');
    expect(text('limits.d/90-api.conf')).toContain(' soft nofile 1024\n');
    expect(text('90-kiln.conf')).toContain('LimitMEMLOCK=65536:65536');
  });

  it("gives every unit restarts with a back-off, and the service's stop signal and grace period", () => {
    const input: EnvironmentInput = {
      name: 'shop',
      stage: 'production',
      systems: [{ name: 'shop', services: [{ name: 'api', image: 'acme/api:1.0.0', stopSignal: 'SIGINT', shutdownTimeoutSeconds: 30 }, { name: 'web', image: 'acme/web:1.0.0' }] }],
      targets: { hosts: { machines: [{ name: 'm1', address: 'a', services: ['api', 'web'] }] } },
    };
    const { environment } = resolveEnvironment(input, { environment: 'environments/shop.ts', system: () => undefined });
    const outputs = environment ? hostsEmitter.emit(environment).outputs : [];
    const settings = (unit: string) => {
      const file = outputs.find((o) => o.path === `shop/host/systemd/${unit}.d/90-kiln.conf`);
      return (file && 'text' in file ? file.text : '').split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    };
    const restarts = ['[Unit]', 'StartLimitIntervalSec=300', 'StartLimitBurst=5', '[Service]', 'Restart=on-failure', 'RestartSec=5s'];
    expect(settings('api.service')).toEqual([...restarts, 'KillSignal=SIGINT', 'TimeoutStopSec=40s']);
    // Nothing declared: systemd's own SIGTERM, and Kiln's default grace period.
    expect(settings('web.service')).toEqual([...restarts, 'TimeoutStopSec=30s']);
  });
});
