import type { Modifier } from './types.js';

/** `all`: every value of the list must match (AND instead of OR). */
export const all: Modifier = { name: 'all', apply: (vals, st) => { st.all = true; return vals; } };
