import { ModifierError, type Modifier } from './types.js';

/** `exists`: the field is present (true) or absent (false); the value must be a boolean. */
export const exists: Modifier = {
  name: 'exists',
  apply: (vals) => vals.map((v) => {
    const b = v.k === 'raw' ? (v.v === 'true' ? true : v.v === 'false' ? false : v.v) : undefined;
    if (typeof b !== 'boolean') throw new ModifierError("'exists' needs true or false");
    return { k: 'test', test: { t: 'exists', value: b } };
  }),
};
