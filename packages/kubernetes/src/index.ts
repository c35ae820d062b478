export { KubernetesCode } from './codes.js';
export { kubernetesEmitter, objectPath } from './emitter.js';
export { validateObject } from './validate.js';
export type { KubernetesObject } from './validate.js';
