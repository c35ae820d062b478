import { describe, expect, it } from 'vitest';
import { selectorsOf } from './selectors.js';

describe('selectorsOf', () => {
  it('lists each selector with its matchers as written, its window and the function it feeds', () => {
    expect(selectorsOf('sum by (job) (rate(rpc_requests_total{job=~"$job",code!="200"}[2m])) / on() group_left up')).toEqual([
      {
        metric: 'rpc_requests_total',
        matchers: [
          { label: 'job', op: '=~', value: '$job' },
          { label: 'code', op: '!=', value: '200' },
        ],
        range: { text: '2m', ms: 120_000 },
        call: 'rate',
      },
      { metric: 'up', matchers: [] },
    ]);
  });

  it('names the metric of a __name__ matcher and leaves a subquery without a window', () => {
    expect(selectorsOf('max_over_time({__name__="queue_depth"}[10m:1m])')).toEqual([{ metric: 'queue_depth', matchers: [] }]);
    expect(selectorsOf('foo[5m]')).toEqual([{ metric: 'foo', matchers: [], range: { text: '5m', ms: 300_000 } }]);
  });

  it('is undefined for an expression that does not parse', () => {
    expect(selectorsOf('rate(foo[5m]')).toBeUndefined();
  });
});
