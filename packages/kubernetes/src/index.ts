export { KubernetesCode } from './codes.js';
export { kubernetesEmitter, objectPath } from './emitter.js';
export { nodeSysctlScript } from './node-tuning.js';
