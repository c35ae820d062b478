/**
 * What `promtool test rules` prints when a test fails (Prometheus 2.42 and later), read back into
 * data. Each failed assertion is its own block on stderr:
 *
 *     name: <test group>,
 *     alertname: <alert>, time: <eval time>,
 *         exp:[ … ],
 *         got:[ … ]
 *
 * Anything else (a parse error, a rule that fails to evaluate) is kept as it was printed, so a
 * failure is never lost for not having the expected shape.
 */

import { parseDuration } from '@kiln/promql';

export interface PromtoolFailure {
  /** The test group's `name`; absent when the failure belongs to no group (the file did not load). */
  readonly group?: string;
  /** The alert of a failed `alert_rule_test`; absent for other failures of the group. */
  readonly alert?: string;
  /** The evaluation time as promtool prints it (`1d40m` for an `eval_time` of `1480m`). */
  readonly time?: string;
  /** promtool's own words, on one line: `exp:[ … ], got:[]`. */
  readonly details: string;
}

const NAME = /^ {4}name: (.*),\s*$/;
const ALERT = /^ {4}alertname: (\S+), time: (\S+),\s*$/;

export function promtoolFailures(stderr: string): PromtoolFailure[] {
  const lines = stderr.split('\n');
  const failed = lines.findIndex((line) => line.trim() === 'FAILED:');
  const failures: { group?: string; alert?: string; time?: string; lines: string[] }[] = [];
  let group: string | undefined;
  for (const line of failed === -1 ? lines : lines.slice(failed + 1)) {
    const name = NAME.exec(line);
    const alert = ALERT.exec(line);
    if (name) {
      group = name[1];
    } else if (alert) {
      failures.push({ ...(group !== undefined && { group }), alert: alert[1] ?? '', time: alert[2] ?? '', lines: [] });
      // The next block names its group again; a block without a name line belongs to no group.
      group = undefined;
    } else if (line.trim() !== '' && !/^\s*WARNING:/.test(line)) {
      const last = failures.at(-1);
      // A line right after a name line starts a failure of the group that is no alert assertion.
      if (group !== undefined || !last) failures.push({ ...(group !== undefined && { group }), lines: [] });
      group = undefined;
      failures.at(-1)?.lines.push(line.trim());
    }
  }
  return failures.map(({ lines: details, ...rest }) => ({ ...rest, details: details.join(' ').replace(/\s+/g, ' ') }));
}

/**
 * Whether two Prometheus durations are the same time: promtool prints `eval_time` in its own units
 * (`90m` comes back as `1h30m`), so the text the model wrote may differ from what promtool says.
 */
export function sameDuration(a: string, b: string): boolean {
  const left = parseDuration(a);
  return left !== undefined && left === parseDuration(b);
}
