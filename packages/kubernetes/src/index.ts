export { KubernetesCode } from './codes.js';
export { kubernetesEmitter, objectPath } from './emitter.js';
