export { GrafanaCode } from './codes.js';
export { SIZE_LIMITS } from './configmap.js';
export type { SizeLimits } from './configmap.js';
export { createGrafanaEmitter, grafanaEmitter } from './emitter.js';
export { GRAFANA_UNITS } from './units.js';
