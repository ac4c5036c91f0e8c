import { rawText } from './helpers.js';
import type { Modifier } from './types.js';

/** `fieldref`: compare with the value of another field of the same event. */
export const fieldref: Modifier = {
  name: 'fieldref',
  apply: (vals, st) => vals.map((v) => {
    if (v.k === 'str') {
      // contains/startswith/endswith came first: read the op from the wildcards they added
      const first = v.parts[0], last = v.parts[v.parts.length - 1];
      const b = typeof first === 'object' && first.w === '*', a = typeof last === 'object' && last.w === '*';
      const inner = v.parts.slice(b ? 1 : 0, a ? v.parts.length - 1 : v.parts.length);
      const field = rawText({ k: 'str', parts: inner }, 'fieldref');
      return { k: 'test', test: { t: 'fieldref', field, op: b && a ? 'contains' : b ? 'endswith' : a ? 'startswith' : 'eq', cased: st.cased } };
    }
    return { k: 'test', test: { t: 'fieldref', field: rawText(v, 'fieldref'), op: 'eq', cased: st.cased } };
  }),
};
