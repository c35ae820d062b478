export { emitters, repositoryEmitters } from './emitters.js';
export { Exit, main, version } from './main.js';
export type { Io } from './report.js';
