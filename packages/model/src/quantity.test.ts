import { describe, expect, it } from 'vitest';
import { checkQuantity, compareQuantities, formatQuantity, parseQuantity, quantityBytes, quantityCores } from './quantity.js';

/** Canonical forms as the Kubernetes API server prints them (apimachinery Quantity.String()). */
const canonical: [string, string][] = [
  ['0.5', '500m'],
  ['1000m', '1'],
  ['2000m', '2'],
  ['1.5', '1500m'],
  ['100m', '100m'],
  ['2000', '2k'],
  ['1024Mi', '1Gi'],
  ['1.5Gi', '1536Mi'],
  ['512Mi', '512Mi'],
  ['0.5Ki', '512'],
  ['16Gi', '16Gi'],
  ['4G', '4G'],
  ['0', '0'],
  ['0Mi', '0'],
  ['128974848', '128974848'],
  ['129M', '129M'],
  ['129e6', '129M'],
  ['1e3', '1k'],
  ['5E-1', '500m'],
];

describe('quantities', () => {
  it.each(canonical)('%s is stored as %s', (input, expected) => {
    const parsed = parseQuantity(input);
    expect(parsed).toBeDefined();
    expect(formatQuantity(parsed!)).toBe(expected);
    const check = checkQuantity(input);
    expect(check.ok).toBe(input === expected);
  });

  it.each(['', 'abc', '1.2.3', '-1', '5 Mi', '1Kb', '0.0000000001', '1e', '1e99'])('rejects %j', (input) => {
    expect(checkQuantity(input)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('compares across suffixes exactly', () => {
    const q = (text: string) => parseQuantity(text)!;
    expect(compareQuantities(q('1Gi'), q('1024Mi'))).toBe(0);
    expect(compareQuantities(q('1G'), q('1Gi'))).toBe(-1);
    expect(compareQuantities(q('1500m'), q('1'))).toBe(1);
  });

  it('converts to bytes and cores', () => {
    expect(quantityBytes(parseQuantity('512Mi')!)).toBe(536870912n);
    expect(quantityCores(parseQuantity('1500m')!)).toBe('1.5');
    expect(quantityCores(parseQuantity('2')!)).toBe('2');
    expect(quantityCores(parseQuantity('250m')!)).toBe('0.25');
  });
});
