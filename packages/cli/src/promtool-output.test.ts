import { describe, expect, it } from 'vitest';
import { promtoolFailures, sameDuration } from './promtool-output.js';

// stderr of promtool 2.42 for a file with two failed assertions, as printed (trailing spaces too).
const TWO_FAILURES = `  FAILED:
    name: HighErrorRate: one-in-ten-fail,
    alertname: HighErrorRate, time: 10m, 
        exp:[
            0:
              Labels:{alertname="HighErrorRate", job="rpcnet-worker", severity="critical"}
              Annotations:{description="11% of RPCs fail.", summary="High RPC error rate"}
            ], 
        got:[
            0:
              Labels:{alertname="HighErrorRate", job="rpcnet-worker", severity="critical"}
              Annotations:{description="10% of RPCs fail.", summary="High RPC error rate"}
            ]
    name: slo rpcnet-availability: fast-burn,
    alertname: RpcnetAvailabilityBurnRatePage1h, time: 1d40m, 
        exp:[
            0:
              Labels:{alertname="RpcnetAvailabilityBurnRatePage1h", severity="critical"}
            ], 
        got:[]
`;

describe('promtoolFailures', () => {
  it('reads each failed assertion with its group, alert, time and exp/got on one line', () => {
    const failures = promtoolFailures(TWO_FAILURES);
    expect(failures.map(({ group, alert, time }) => ({ group, alert, time }))).toEqual([
      { group: 'HighErrorRate: one-in-ten-fail', alert: 'HighErrorRate', time: '10m' },
      { group: 'slo rpcnet-availability: fast-burn', alert: 'RpcnetAvailabilityBurnRatePage1h', time: '1d40m' },
    ]);
    expect(failures[0]?.details).toMatch(/^exp:\[ 0: Labels:\{.*11% of RPCs fail.*\], got:\[ 0: .*10% of RPCs fail.* \]$/);
    expect(failures[1]?.details).toMatch(/^exp:\[ .* \], got:\[\]$/);
    for (const failure of failures) expect(failure.details).not.toMatch(/\n|\s{2}/);
  });

  it('keeps a failure of no alert assertion in its group, and one of no group as it was printed', () => {
    const failures = promtoolFailures(`  FAILED:\n    name: g,\n    rule: job:x:rate5m, time: 1m, err: bad\n`);
    expect(failures).toEqual([{ group: 'g', details: 'rule: job:x:rate5m, time: 1m, err: bad' }]);
    const parse = promtoolFailures(`  WARNING: no file match pattern rules/x.yml\n  FAILED:\n1:6: parse error: unexpected identifier "bogus"\n`);
    expect(parse).toEqual([{ details: '1:6: parse error: unexpected identifier "bogus"' }]);
  });
});

describe('sameDuration', () => {
  it('compares the time a case names with the time promtool prints', () => {
    expect(sameDuration('1480m', '1d40m')).toBe(true);
    expect(sameDuration('90m', '1h30m')).toBe(true);
    expect(sameDuration('10m', '10m')).toBe(true);
    expect(sameDuration('10m', '10s')).toBe(false);
    expect(sameDuration('10m', 'soon')).toBe(false);
  });
});
