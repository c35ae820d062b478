/** Diagnostic codes of the Prometheus emitter; PromQL and template codes are @kiln/promql's. */
export const PrometheusCode = {
  /** Two alerts of one name and severity, or two recording rules of one name and labels. */
  DUPLICATE_RULE: 'DUPLICATE_RULE',
  /** A recording rule nothing uses and that says not why it exists. */
  RECORDING_RULE_UNUSED: 'RECORDING_RULE_UNUSED',
  /** One metric declared with two types. */
  METRIC_CONFLICT: 'METRIC_CONFLICT',
  /** A test case's input series is no plain series or its values no promtool notation. */
  TEST_SERIES_INVALID: 'TEST_SERIES_INVALID',
  /** A test case expects an alert whose labels or annotations Kiln can tell will not match. */
  TEST_EXPECTATION_INVALID: 'TEST_EXPECTATION_INVALID',
  /** An alert Kiln generated without a case in which it fires (a bug in Kiln). */
  ALERT_NEVER_TESTED: 'ALERT_NEVER_TESTED',
  /** A generated rule test failed under promtool (`kiln test`). */
  RULE_TEST_FAILED: 'RULE_TEST_FAILED',
  /** promtool is not installed (`kiln test`). */
  PROMTOOL_MISSING: 'PROMTOOL_MISSING',
} as const;
export type PrometheusCode = (typeof PrometheusCode)[keyof typeof PrometheusCode];
