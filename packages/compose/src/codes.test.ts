import { describe, expect, it } from 'vitest';
import { ComposeCode } from './codes.js';

describe('ComposeCode', () => {
  it('names every code after its target, COMPOSE_, and spells it as its key', () => {
    for (const [key, code] of Object.entries(ComposeCode)) {
      expect(code).toMatch(/^COMPOSE_[A-Z0-9_]+$/);
      expect(code).toBe(key);
    }
    expect(ComposeCode.COMPOSE_NAME_CONFLICT).toBe('COMPOSE_NAME_CONFLICT');
  });
});
