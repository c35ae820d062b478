export { analyze, closest } from './analyze.js';
export type { Analysis, AnalyzeOptions, Problem } from './analyze.js';
export { PromqlCode } from './codes.js';
export { formatDuration, parseDuration } from './duration.js';
export { SeriesIndex } from './series.js';
export type { SeriesInfo, SeriesKind } from './series.js';
export { formatFixed, formatG } from './go-format.js';
export { checkTemplate, expandTemplate, humanize } from './template.js';
