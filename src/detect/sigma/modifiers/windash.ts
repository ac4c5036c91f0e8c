import { mergeStars } from '../compiler/value.js';
import type { GlobPart } from '../types.js';
import { toParts } from './helpers.js';
import type { Modifier } from './types.js';

/** Every dash-like character a Windows command line accepts for a flag. */
export const DASHES = '-/\u2013\u2014\u2015';

/** `windash`: each `-` or `/` also matches `/`, `–`, `—`, `―` (a one-char class, not a permutation list). */
export const windash: Modifier = {
  name: 'windash',
  apply: (vals) => vals.map((v) => {
    const out: GlobPart[] = [];
    for (const p of toParts(v, 'windash')) {
      if (typeof p !== 'string') { out.push(p); continue; }
      let lit = '';
      for (const c of p) {
        if (c === '-' || c === '/') { if (lit) out.push(lit); lit = ''; out.push({ w: 'c', chars: DASHES }); } else lit += c;
      }
      if (lit) out.push(lit);
    }
    return { k: 'str', parts: mergeStars(out) };
  }),
};
