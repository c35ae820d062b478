export { ArgoCdCode } from './codes.js';
export { ARGOCD_NAMESPACE, argoCdEmitter, ROOT_APP } from './emitter.js';
