import { wrap } from './helpers.js';
import type { Modifier } from './types.js';

/** `contains`: the value anywhere in the field (wildcards around it). */
export const contains: Modifier = { name: 'contains', apply: (vals) => vals.map((v) => wrap(v, 'contains', true, true)) };
