import { describe, expect, it } from 'vitest';
import { formatPath } from './diagnostics.js';

describe('formatPath', () => {
  const input = { services: [{ name: 'api', ports: [{ name: 'http' }, { port: 1 }], env: { 'A-B': 1 } }] };

  it('names array items that have a name, and indexes the rest', () => {
    expect(formatPath(['services', 0, 'ports', 0, 'port'], input)).toBe('services[api].ports[http].port');
    expect(formatPath(['services', 0, 'ports', 1, 'port'], input)).toBe('services[api].ports[1].port');
  });

  it('quotes keys that are not identifiers', () => {
    expect(formatPath(['services', 0, 'env', 'A-B'], input)).toBe('services[api].env.A-B');
    expect(formatPath(['labels', 'kiln.dev/region'], {})).toBe('labels["kiln.dev/region"]');
  });
});
