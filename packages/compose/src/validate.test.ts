import { describe, expect, it } from 'vitest';
import { emit, realisticEnvironment } from './fixtures.js';
import { validateCompose } from './validate.js';

describe('validateCompose', () => {
  it('accepts what the emitter writes', () => {
    expect(validateCompose(emit(realisticEnvironment()).compose)).toEqual([]);
  });

  it('rejects ports that are not a list', () => {
    const errors = validateCompose({ services: { x: { image: 'nginx:1.27', ports: 'nope' } } });
    expect(errors).toContain('/services/x/ports must be array');
  });

  it('rejects an unknown service field and names it', () => {
    const errors = validateCompose({ services: { x: { image: 'nginx:1.27', replica: 2 } } });
    expect(errors).toEqual([expect.stringContaining("('replica')")]);
  });

  it('accepts x- extension fields at the top level', () => {
    expect(validateCompose({ 'x-kiln': { project: 'p' }, services: { x: { image: 'nginx:1.27' } } })).toEqual([]);
  });
});
