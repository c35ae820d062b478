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

  it('quotes what YAML 1.2 or PyYAML would read as no string, keys too', () => {
    const values = ['1e3', '0o17', '.5', '+1', '1_000', '0b_', '=', '<<', '2024-1-1 1:00:00'];
    const text = toYaml({ env: values, '<<': 'merge?', '=': 'value?', on: 'key' });
    expect(text).not.toMatch(/^\s*(- )?(1e3|0o17|=|<<|on)(:|$)/m);
    for (const version of ['1.1', '1.2'] as const) expect(parse(text, { version })).toEqual({ env: values, '<<': 'merge?', '=': 'value?', on: 'key' });
  });

  it('writes control characters, tabs, NEL, line and paragraph separators and a BOM escaped, in double quotes', () => {
    const values = ['a\tb', 'a\u0085b', 'x\u2028y', 'x\u2029y', '\ufeffz', '\u007f', '\u0080\u009f', 'a\u0000\u001b', 'line\r\nbreak', '\ud800 lone'];
    const text = toYaml({ values });
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\t]/);
    expect(text).toContain('"a\\x85b"');
    for (const version of ['1.1', '1.2'] as const) expect(parse(text, { version })).toEqual({ values });
  });

  it('never folds long lines and never writes anchors for shared objects', () => {
    const expr = `sum(rate(rpc_errors_total{job="rpcnet_workers", type!~"timeout|cancelled"}[5m])) / sum(rate(rpc_requests_total{job="rpcnet_workers"}[5m])) > 0.05`;
    const shared = { app: 'x' };
    const text = toYaml({ expr, a: shared, b: shared });
    expect(text.split('\n').find((line) => line.startsWith('expr:'))).toContain('> 0.05');
    expect(text).not.toMatch(/[&*]a\d/);
  });
});
