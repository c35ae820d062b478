import { describe, expect, it } from 'vitest';
import { errorBudget, multiply } from './decimal.js';
import type { Metric, Slo } from './monitoring-model.js';
import { compileSlo, concreteSeries, parseSelector } from './slo.js';

const METRICS: Metric[] = [{ name: 'http_requests_total', type: 'counter', help: 'Requests', labels: [{ name: 'status', values: ['200', '404', '503'] }] }];

const slo = (over: Partial<Slo> = {}): Slo => ({
  name: 'api-availability',
  service: 'api',
  description: 'API requests succeed',
  objective: 99.9,
  period: '30d',
  sli: { errors: 'http_requests_total{job="api",status=~"5.."}', total: 'http_requests_total{job="api"}' },
  minEvents: 100,
  severity: { page: 'critical', ticket: 'warning' },
  ...over,
});

describe('decimals', () => {
  it('multiplies without float noise', () => {
    expect(0.1 * 3).not.toBe(0.3);
    expect(multiply('0.1', 3)).toBe('0.3');
    expect(multiply('14.4', errorBudget(99.9))).toBe('0.0144');
    expect(multiply('2.8', errorBudget(99.95))).toBe('0.0014');
    expect(errorBudget(99.99)).toBe('0.0001');
    expect(errorBudget(99.999)).toBe('0.00001');
  });
});

describe('compileSlo', () => {
  it('pages on 1h/5m and 6h/30m, tickets on 1d/2h and 3d/6h, with exact thresholds and a for per window', () => {
    const { alerts } = compileSlo(slo(), METRICS);
    const burn = alerts.filter((a) => a.labels['slo_tier']);
    expect(burn.map((a) => [a.name, a.severity, a.for, a.labels['slo_window']])).toEqual([
      ['ApiAvailabilityBurnRatePage1h', 'critical', '2m', '1h'],
      ['ApiAvailabilityBurnRatePage6h', 'critical', '15m', '6h'],
      ['ApiAvailabilityBurnRateTicket1d', 'warning', '1h', '1d'],
      ['ApiAvailabilityBurnRateTicket3d', 'warning', '3h', '3d'],
    ]);
    expect(burn[0]?.expr).toBe(
      'slo:sli_error:ratio_rate1h{slo="api-availability"} > 0.0144 and slo:sli_error:ratio_rate5m{slo="api-availability"} > 0.0144 and slo:sli_total:rate1h{slo="api-availability"} * 3600 >= 100',
    );
    expect(burn.map((a) => /> ([0-9.]+) and/.exec(a.expr)?.[1])).toEqual(['0.0144', '0.006', '0.003', '0.001']);
    expect(alerts.at(-1)).toMatchObject({ name: 'ApiAvailabilitySliAbsent', expr: 'absent(http_requests_total{job="api"})' });
  });

  it('scales the windows to a 28-day period and keeps the numerator and denominator apart', () => {
    const { records, alerts } = compileSlo(slo({ period: '28d', objective: 99.95 }), METRICS);
    expect(alerts[0]?.expr).toContain('slo:sli_error:ratio_rate56m{slo="api-availability"} > 0.0072 and slo:sli_error:ratio_rate4m40s');
    expect(alerts[3]?.expr).toContain('ratio_rate2d19h12m');
    expect(records.at(-1)).toMatchObject({
      record: 'slo:sli_error:ratio_rate28d',
      expr: 'sum_over_time(slo:sli_errors:rate4m40s{slo="api-availability"}[28d]) / sum_over_time(slo:sli_total:rate4m40s{slo="api-availability"}[28d])',
    });
  });

  it('writes test series that match its selectors: errors from a 5xx series, the rest from another status', () => {
    const { alerts } = compileSlo(slo(), METRICS);
    const fast = alerts[0]?.tests.find((t) => t.name === 'fast-burn');
    expect(Object.keys(fast?.series ?? {}).sort()).toEqual(['http_requests_total{job="api",status="200"}', 'http_requests_total{job="api",status="503"}']);
    expect(fast?.expect).toEqual([{ labels: {} }]);
    expect(alerts[1]?.tests.find((t) => t.name === 'fast-burn')?.expect).toEqual([]);
    expect(alerts.at(-1)?.tests.find((t) => t.name === 'no-traffic')?.expect).toEqual([{ labels: { job: 'api' } }]);
  });

  it('cannot choose a value for a regex on a label without declared values', () => {
    const selector = parseSelector('http_requests_total{code=~"5.."}');
    expect(selector && concreteSeries(selector, METRICS)).toEqual({ unresolved: 'code' });
    expect(parseSelector('rate(x[5m])')).toBeUndefined();
  });
});
