export { ComposeCode } from './codes.js';
export type { ComposeFile, ComposeService } from './compose-file.js';
export { composeEmitter } from './emitter.js';
export { requiredVariables } from './secret-variables.js';
export { validateCompose } from './validate.js';
