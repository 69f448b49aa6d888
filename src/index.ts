/** gitfed as a library: render and apply are functions, not only commands. */
export * from './errors.js';
export * from './render/types.js';
export { VERSION } from './version.js';
