import { describe, expect, it } from 'vitest';
import { conditionInWords } from './expression-words.js';
import { rich } from './markdown.js';

const words = (expr: string, holdsFor?: string) => rich(conditionInWords(expr, holdsFor));

describe('the expression in words', () => {
  it('names the comparison and its threshold', () => {
    expect(words('job:rpc_errors:ratio_rate5m > 0.05', '2m')).toBe('It fires when `job:rpc_errors:ratio_rate5m` is above 0.05, and that holds for 2m');
    expect(words('max by (job) (cluster_healthy_workers) < 3', '1m')).toBe('It fires when `max by (job) (cluster_healthy_workers)` is below 3, and that holds for 1m');
    expect(words('up{job="db"} == 0', '5m')).toBe('It fires when `up{job="db"}` equals 0, and that holds for 5m');
  });

  it('splits and/or/unless only at the top level, never inside brackets or strings', () => {
    expect(words('a > 1 and b{x="p and q > 2"} >= 100')).toBe('It fires when `a` is above 1, and `b{x="p and q > 2"}` is at least 100, as soon as that holds at one evaluation (the alert has no `for`)');
    expect(words('sum(rate(x[5m]) > 1) or y unless on(job) z', '3m')).toBe('It fires when `sum(rate(x[5m]) > 1)` returns a result, or when `y` returns a result, unless `z` returns a result, and that holds for 3m');
  });

  it('compares with another expression, and says when there is no condition at all', () => {
    expect(words('a / b > ignoring(le) c', '1m')).toBe('It fires when `a / b` is above `c`, and that holds for 1m');
    expect(words('absent(up{job="db"})', '10m')).toBe('It fires when `absent(up{job="db"})` returns a result, and that holds for 10m');
    expect(words('a > bool 1', '1m')).toBe('It fires when `a > bool 1` returns a result, and that holds for 1m');
  });
});
