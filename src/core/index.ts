/** core: the shared vocabulary. Imports nothing else from src/. */
export * from './codes.js';
export * from './diagnostic.js';
export * from './event.js';
export * from './alert.js';
export * from './detector.js';
export * from './text.js';
export * from './argv.js';
export * from './bytes.js';
export * from './ports.js';
export * from './ids.js';
export { parseYaml } from './yaml.js';
