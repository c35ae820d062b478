/**
 * PromQL functions and their argument types, as Prometheus 2.x parses them (promql/parser/functions.go):
 * `v` instant vector, `m` range vector, `s` scalar, `str` string; `?` marks optional trailing
 * arguments and `…` a repeated last one. Kiln's rules run on promtool and Prometheus 2 (Debian's,
 * and the pinned image), so functions only Prometheus 3 knows are refused.
 */
export type ArgType = 'v' | 'm' | 's' | 'str';

export interface Signature {
  readonly args: readonly ArgType[];
  /** How many of `args` are required (the rest are optional). */
  readonly required: number;
  /** The last argument repeats. */
  readonly variadic?: true;
}

const sig = (spec: string): Signature => {
  const parts = spec === '' ? [] : spec.split(',');
  const args = parts.map((p) => p.replace(/[?…]/g, '') as ArgType);
  const optional = parts.findIndex((p) => p.endsWith('?'));
  return { args, required: optional < 0 ? args.length : optional, ...(spec.endsWith('…') && { variadic: true as const }) };
};

const math = ['abs', 'ceil', 'floor', 'exp', 'ln', 'log2', 'log10', 'sqrt', 'sgn', 'deg', 'rad', 'sort', 'sort_desc', 'timestamp', 'scalar'];
const trig = ['sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh'];
const overTime = ['avg_over_time', 'min_over_time', 'max_over_time', 'sum_over_time', 'count_over_time', 'stddev_over_time', 'stdvar_over_time', 'last_over_time', 'present_over_time', 'absent_over_time'];
const calendar = ['day_of_month', 'day_of_week', 'day_of_year', 'days_in_month', 'hour', 'minute', 'month', 'year'];
const ranges = ['rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'changes', 'resets'];

export const FUNCTIONS: ReadonlyMap<string, Signature> = new Map<string, Signature>([
  ...[...math, ...trig, 'absent', 'histogram_count', 'histogram_sum'].map((name): [string, Signature] => [name, sig('v')]),
  ...[...overTime, ...ranges].map((name): [string, Signature] => [name, sig('m')]),
  ...calendar.map((name): [string, Signature] => [name, sig('v?')]),
  ['clamp', sig('v,s,s')],
  ['clamp_max', sig('v,s')],
  ['clamp_min', sig('v,s')],
  ['round', sig('v,s?')],
  ['histogram_quantile', sig('s,v')],
  ['histogram_fraction', sig('s,s,v')],
  ['holt_winters', sig('m,s,s')],
  ['predict_linear', sig('m,s')],
  ['quantile_over_time', sig('s,m')],
  ['label_replace', sig('v,str,str,str,str')],
  ['label_join', sig('v,str,str,str…')],
  ['vector', sig('s')],
  ['time', sig('')],
  ['pi', sig('')],
]);

/** Aggregations taking a parameter before the vector. */
export const PARAMETER_AGGREGATIONS: ReadonlyMap<string, ArgType> = new Map<string, ArgType>([
  ['topk', 's'],
  ['bottomk', 's'],
  ['quantile', 's'],
  ['count_values', 'str'],
]);

export const AGGREGATIONS = new Set(['sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count', 'count_values', 'bottomk', 'topk', 'quantile']);
