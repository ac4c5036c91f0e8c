import type { Modifier } from './types.js';

/** `neq`: the field exists and differs from every listed value. */
export const neq: Modifier = { name: 'neq', apply: (vals, st) => { st.neq = true; st.all = true; return vals; } };
