import { describe, expect, it } from 'vitest';
import { isPinned, parseImage } from './image.js';

describe('image references', () => {
  it.each([
    ['redis:7.2', { repository: 'redis', tag: '7.2' }],
    ['registry.example.com:5000/acme/api:1.4.2', { repository: 'registry.example.com:5000/acme/api', tag: '1.4.2' }],
    ['registry.example.com:5000/acme/api', { repository: 'registry.example.com:5000/acme/api' }],
    [`hyperledger/besu@sha256:${'a'.repeat(64)}`, { repository: 'hyperledger/besu', digest: `sha256:${'a'.repeat(64)}` }],
  ])('parses %s', (text, expected) => {
    expect(parseImage(text)).toEqual(expected);
  });

  it.each(['UPPER/case:1', 'repo:', 'repo@sha256:short', 'a//b:1', ''])('rejects %j', (text) => {
    expect(parseImage(text)).toBeUndefined();
  });

  it('treats latest and a missing tag as unpinned', () => {
    expect(isPinned(parseImage('rpcnet:latest')!)).toBe(false);
    expect(isPinned(parseImage('rpcnet')!)).toBe(false);
    expect(isPinned(parseImage('rpcnet:0.4.2')!)).toBe(true);
  });
});
