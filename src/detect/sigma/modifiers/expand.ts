import { mergeStars, parseSigmaString } from '../compiler/value.js';
import type { GlobPart } from '../types.js';
import { ModifierError, type Modifier, type Val } from './types.js';

/**
 * `expand`: `%name%` placeholders are replaced by every configured value (LoadOptions.placeholders).
 * A rule whose placeholder has no configured value cannot be loaded (the specification says reject it).
 */
export const expand: Modifier = {
  name: 'expand',
  apply: (vals, st) => vals.flatMap((v): Val[] => {
    if (v.k === 'str') return expandParts(v.parts, st.placeholders);
    if (v.k !== 'raw' || typeof v.v !== 'string') throw new ModifierError("'expand' needs a string value");
    return expandText(v.v, st.placeholders).map((r): Val => ({ k: 'raw', v: r }));
  }),
};

/** Expands placeholders inside the literal parts of an already wildcard-parsed value. */
function expandParts(parts: GlobPart[], ph: Record<string, string[]>): Val[] {
  let results: GlobPart[][] = [[]];
  for (const p of parts) {
    if (typeof p !== 'string') { results = results.map((r) => [...r, p]); continue; }
    const texts = expandText(p.replace(/\\/g, '\\\\'), ph);
    results = results.flatMap((r) => texts.map((t) => [...r, ...parseSigmaString(t)]));
  }
  return results.map((parts2): Val => ({ k: 'str', parts: mergeStars(parts2) }));
}

function expandText(text: string, ph: Record<string, string[]>): string[] {
    let results = [''];
    const re = /\\%|%([A-Za-z0-9_.-]+)%|[^%\\]+|./g;
    for (const m of text.matchAll(re)) {
      if (m[0] === '\\%') { results = results.map((r) => `${r}%`); continue; }
      if (m[1] === undefined) { results = results.map((r) => r + m[0]); continue; }
      const list = ph[m[1]];
      if (!list) throw new ModifierError(`placeholder %${m[1]}% has no configured value`);
      results = results.flatMap((r) => list.map((x) => r + x));
    }
    return results;
}
