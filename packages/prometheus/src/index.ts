export { PrometheusCode } from './codes.js';
export { prometheusEmitter } from './emitter.js';
export { rulesPath, ruleTests, testsPath } from './rule-files.js';
export type { CaseRef } from './rule-files.js';
