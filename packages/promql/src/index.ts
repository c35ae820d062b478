export { analyze, closest } from './analyze.js';
export type { Analysis, AnalyzeOptions, Problem } from './analyze.js';
export { PromqlCode } from './codes.js';
export { formatDuration, parseDuration } from './duration.js';
export { SeriesIndex } from './series.js';
export type { SeriesInfo, SeriesKind } from './series.js';
export { checkTemplate, expandTemplate, formatG, humanize } from './template.js';
