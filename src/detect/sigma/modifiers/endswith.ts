import { wrap } from './helpers.js';
import type { Modifier } from './types.js';

/** `endswith`: the value at the end of the field. */
export const endswith: Modifier = { name: 'endswith', apply: (vals) => vals.map((v) => wrap(v, 'endswith', true, false)) };
