export { GrafanaCode } from './codes.js';
export { CONFIGMAP_MAX_BYTES } from './configmap.js';
export { createGrafanaEmitter, grafanaEmitter } from './emitter.js';
export { GRAFANA_UNITS } from './units.js';
