export { RunbooksCode } from './codes.js';
export { runbooksEmitter } from './emitter.js';
export { markdownlintConfig } from './markdownlint-config.js';
