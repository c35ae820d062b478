import { describe, expect, it } from 'vitest';
import { serverSideApplyIfLarge } from './server-side-apply.js';
import type { Output } from './output.js';

const configMap = (bytes: number, annotations?: Record<string, string>): Output => ({
  path: 'e/kubernetes/configmap-big.yaml',
  format: 'yaml',
  data: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', ...(annotations && { annotations }) }, data: { blob: 'x'.repeat(bytes) } },
});
const syncOptions = (output: Output) => (output.format === 'yaml' ? (output.data as { metadata: { annotations?: Record<string, string> } }).metadata.annotations?.['argocd.argoproj.io/sync-options'] : undefined);

describe('serverSideApplyIfLarge', () => {
  it('marks an object whose JSON passes the limit, and only then', () => {
    const size = Buffer.byteLength(JSON.stringify((configMap(1000) as { data: unknown }).data));
    expect(syncOptions(serverSideApplyIfLarge(configMap(1000), size))).toBeUndefined();
    expect(syncOptions(serverSideApplyIfLarge(configMap(1000), size - 1))).toBe('ServerSideApply=true');
    expect(syncOptions(serverSideApplyIfLarge(configMap(210 * 1024)))).toBe('ServerSideApply=true');
    expect(syncOptions(serverSideApplyIfLarge(configMap(100 * 1024)))).toBeUndefined();
  });

  it('keeps the sync options already there, and leaves what is no Kubernetes object alone', () => {
    expect(syncOptions(serverSideApplyIfLarge(configMap(10, { 'argocd.argoproj.io/sync-options': 'Prune=false' }), 10))).toBe('Prune=false,ServerSideApply=true');
    const rules: Output = { path: 'e/prometheus/rules/x.yml', format: 'yaml', data: { groups: ['x'.repeat(300 * 1024)] } };
    expect(serverSideApplyIfLarge(rules)).toBe(rules);
  });
});
