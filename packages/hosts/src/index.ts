export { hostsEmitter } from './emitter.js';
