export { PrometheusCode } from './codes.js';
export { prometheusEmitter } from './emitter.js';
export { ruleTests, testsPath, rulesPath } from './rule-files.js';
export type { CaseRef } from './rule-files.js';
