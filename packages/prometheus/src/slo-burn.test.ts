/**
 * A generated SLO alert fires at the burn rate the model says, and not below it: the emitted rule
 * file is evaluated by promtool against traffic burning the budget at 1.05× and 0.95× the page
 * threshold. Skips visibly without promtool, unless KILN_REQUIRE_TOOLS=1.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render, toYaml } from '@kiln/core';
import { afterAll, describe, expect, it } from 'vitest';
import { prometheusEmitter } from './emitter.js';
import { environment } from './fixtures.js';

const available = spawnSync('promtool', ['--version']).error === undefined;
if (!available && process.env['KILN_REQUIRE_TOOLS'] !== '1') console.warn('SKIPPED: promtool is not installed (apt-get install prometheus); the SLO burn-rate test is skipped');
const scratch = mkdtempSync(join(tmpdir(), 'kiln-slo-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const env = environment({
  slos: [{ name: 'api-availability', service: 'api', description: 'API requests succeed', objective: 99.9, sli: { errors: 'http_requests_total{job="api",status="503"}', total: 'http_requests_total{job="api"}' } }],
});

/** A promtool test: 1000 requests a minute, `burn` × the budget rate failing, for 90 minutes. */
function burnTest(burn: number, expectFiring: boolean): string {
  const budget = 0.001;
  const errors = 1000 * budget * 14.4 * burn;
  const expected = expectFiring ? [{ exp_labels: { severity: 'critical', slo: 'api-availability', slo_tier: 'page', slo_window: '1h' }, exp_annotations: {} as Record<string, string> }] : [];
  const rule = env.systems[0]?.alerts.find((a) => a.name === 'ApiAvailabilityBurnRatePage1h');
  if (expected[0] && rule) expected[0].exp_annotations = { summary: rule.summary, description: rule.description };
  return toYaml({
    rule_files: ['rules.yml'],
    evaluation_interval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: [
          { series: 'http_requests_total{job="api",instance="a",status="503"}', values: `0+${errors}x90` },
          { series: 'http_requests_total{job="api",instance="a",status="200"}', values: `0+${1000 - errors}x90` },
        ],
        alert_rule_test: [{ eval_time: '90m', alertname: 'ApiAvailabilityBurnRatePage1h', exp_alerts: expected }],
      },
    ],
  });
}

describe.skipIf(!available && process.env['KILN_REQUIRE_TOOLS'] !== '1')('SLO burn-rate alerts under promtool', () => {
  const rules = prometheusEmitter.emit(env).outputs.find((o) => o.path.endsWith('rules/shop.yml'));
  if (rules) writeFileSync(join(scratch, 'rules.yml'), render(rules, 'environments/shop-prod.ts'));

  it.each([
    [1.05, true],
    [0.95, false],
  ])('at %s× the page threshold the 1h page alert fires: %s', (burn, fires) => {
    const file = join(scratch, `burn-${burn}.test.yml`);
    writeFileSync(file, burnTest(burn, fires));
    const result = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8', cwd: scratch });
    expect(`${result.stdout}${result.stderr}`).toContain('SUCCESS');
    expect(result.status).toBe(0);
  }, 120_000);
});
