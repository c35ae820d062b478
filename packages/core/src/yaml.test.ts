import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toYaml } from './yaml.js';

describe('the YAML serializer', () => {
  it('quotes strings a YAML 1.1 reader (Kubernetes) would turn into booleans, octals or dates', () => {
    const values = ['on', 'off', 'yes', 'no', 'y', 'n', 'true', 'True', '0755', '2024-01-01', '1e3', '0x1F', '12:30', '1000:50', '1:30:00', '.inf', '=', '<<', '~', 'null', '', '8080'];
    const text = toYaml({ env: values });
    const read = parse(text, { version: '1.1' }) as { env: unknown[] };
    expect(read.env).toEqual(values);
  });

  it('never folds long lines and never writes anchors for shared objects', () => {
    const expr = `sum(rate(rpc_errors_total{job="rpcnet_workers", type!~"timeout|cancelled"}[5m])) / sum(rate(rpc_requests_total{job="rpcnet_workers"}[5m])) > 0.05`;
    const shared = { app: 'x' };
    const text = toYaml({ expr, a: shared, b: shared });
    expect(text.split('\n').find((line) => line.startsWith('expr:'))).toContain('> 0.05');
    expect(text).not.toMatch(/[&*]a\d/);
  });
});
