/** Sigma string values: wildcards `*` `?` and the backslash escape rules of the specification. */
import type { GlobPart } from '../types.js';

/** Parses a Sigma string into glob parts. `\*` `\?` `\\` are escapes; any other backslash is literal. */
export function parseSigmaString(s: string): GlobPart[] {
  const parts: GlobPart[] = [];
  let lit = '';
  const flush = (): void => { if (lit) { parts.push(lit); lit = ''; } };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      const n = s[i + 1];
      if (n === '*' || n === '?' || n === '\\') { lit += n; i++; } else lit += c;
    } else if (c === '*' || c === '?') { flush(); parts.push({ w: c }); } else lit += c;
  }
  flush();
  return mergeStars(parts);
}

/** Joins adjacent literals and collapses runs of `*`. */
export function mergeStars(parts: GlobPart[]): GlobPart[] {
  const out: GlobPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (typeof p === 'string') {
      if (!p) continue;
      if (typeof last === 'string') out[out.length - 1] = last + p; else out.push(p);
    } else if (p.w === '*' && last && typeof last !== 'string' && last.w === '*') continue;
    else out.push(p);
  }
  return out;
}

/** The plain text of parts that hold no wildcard, or null. */
export function literalOf(parts: GlobPart[]): string | null {
  if (parts.some((p) => typeof p !== 'string')) return null;
  return (parts as string[]).join('');
}

/** Renders parts back to Sigma notation (for messages and listings). */
export function globText(parts: GlobPart[]): string {
  return parts.map((p) => (typeof p === 'string' ? p.replace(/[\\*?]/g, (c) => `\\${c}`) : p.w === 'c' ? `[${p.chars}]` : p.w)).join('');
}
