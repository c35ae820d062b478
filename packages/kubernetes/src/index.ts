export { KubernetesCode } from './codes.js';
export { CRD_MODELS, kubernetesEmitter, objectPath } from './emitter.js';
export { nodeSysctlScript } from './node-tuning.js';
export { CLOUDNATIVE_PG_MODELS } from './cloudnative-pg.js';
