import type { Modifier } from './types.js';

/** `cased`: string values match case-sensitively. */
export const cased: Modifier = { name: 'cased', apply: (vals, st) => { st.cased = true; return vals; } };
