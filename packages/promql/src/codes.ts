/** Every diagnostic code of PromQL and template checks: one place, so the list is the documentation. */
export const PromqlCode = {
  /** The expression does not parse with Prometheus's grammar. */
  PROMQL_SYNTAX: 'PROMQL_SYNTAX',
  /** Syntax or a function only Prometheus 3 parses; Kiln's rules run on Prometheus 2. */
  PROMQL_UNSUPPORTED: 'PROMQL_UNSUPPORTED',
  /** A type Prometheus refuses: rate() of an instant vector, arithmetic on a range. */
  TYPE_ERROR: 'TYPE_ERROR',
  /** A selector names a metric no catalog declares and no recording rule records. */
  UNKNOWN_METRIC: 'UNKNOWN_METRIC',
  /** A matcher, grouping or template uses a label the series do not carry. */
  UNKNOWN_LABEL: 'UNKNOWN_LABEL',
  /** A matcher's value is outside the label's declared values. */
  UNKNOWN_LABEL_VALUE: 'UNKNOWN_LABEL_VALUE',
  /** rate(), irate() or increase() over a gauge. */
  RATE_OVER_GAUGE: 'RATE_OVER_GAUGE',
  /** A rate window shorter than four scrape intervals. */
  RANGE_TOO_SHORT: 'RANGE_TOO_SHORT',
  /** A raw counter compared with a threshold. */
  COUNTER_COMPARED_RAW: 'COUNTER_COMPARED_RAW',
  /** histogram_quantile() over something that is not a histogram's _bucket series. */
  HISTOGRAM_NOT_BUCKETS: 'HISTOGRAM_NOT_BUCKETS',
  /** histogram_quantile() over buckets aggregated without `le`. */
  HISTOGRAM_WITHOUT_LE: 'HISTOGRAM_WITHOUT_LE',
  /** An annotation is no valid Go template. */
  TEMPLATE_INVALID: 'TEMPLATE_INVALID',
} as const;
export type PromqlCode = (typeof PromqlCode)[keyof typeof PromqlCode];
