import { wrap } from './helpers.js';
import type { Modifier } from './types.js';

/** `startswith`: the value at the start of the field. */
export const startswith: Modifier = { name: 'startswith', apply: (vals) => vals.map((v) => wrap(v, 'startswith', false, true)) };
