/** normalize: raw records → typed events, driven by mapping data (normalize/mappings/*.yaml). */
export { Normalizer } from './normalize.js';
export { loadMappings, MAPPINGS_DIR, type Mapping } from './loader.js';
export { TRANSFORMS } from './transforms.js';
