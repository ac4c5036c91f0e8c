import type { TimePart } from '../types.js';
import { numericValue } from './numeric.js';
import type { Modifier } from './types.js';

function part(p: TimePart): Modifier {
  return { name: p, apply: (vals) => vals.map((v) => ({ k: 'test', test: { t: 'time', part: p, op: 'eq', value: numericValue(v, p) } })) };
}

/** Time modifiers: compare one part (UTC) of a date field with a number. */
export const minute = part('minute');
export const hour = part('hour');
export const day = part('day');
export const week = part('week');
export const month = part('month');
export const year = part('year');
