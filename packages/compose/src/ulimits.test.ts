import { describe, expect, it } from 'vitest';
import { emit, environment, service } from './fixtures.js';

describe('ulimits', () => {
  it("keeps what Docker accepts and leaves PAM's own (as, maxlogins) to the host profile", () => {
    const api = service('api', { ulimits: { nofile: { soft: 1024, hard: 2048 }, as: { soft: 1e9, hard: 1e9 }, maxlogins: { soft: 4, hard: 4 } } });
    expect(emit(environment({ services: [api] })).compose.services['api']?.ulimits).toEqual({ nofile: { soft: 1024, hard: 2048 } });
  });
});
