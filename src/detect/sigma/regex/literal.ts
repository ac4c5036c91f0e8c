/** The longest literal (case-folded) every match of a regex must contain, for prefiltering; '' if none. */
import type { RNode } from './ast.js';
import { parseRegex } from './parser.js';

function single(n: RNode): string | null {
  if (n.t !== 'set' || n.set.neg || n.set.items.length !== 1) return null;
  const it = n.set.items[0];
  return 'lo' in it && it.lo === it.hi ? String.fromCharCode(it.lo).toLowerCase() : null;
}

function longest(n: RNode): string {
  if (n.t === 'rep') return n.min >= 1 ? longest(n.item) : '';
  if (n.t !== 'cat') return single(n) ?? '';
  let best = '', run = '';
  for (const it of n.items) {
    const c = single(it);
    if (c !== null) { run += c; continue; }
    if (run.length > best.length) best = run;
    run = '';
    if (it.t === 'assert') continue;
    const inner = longest(it);
    if (inner.length > best.length) best = inner;
  }
  return run.length > best.length ? run : best;
}

/** Every run of single units a match must contain (lower-cased, possibly repeated). */
function runsOf(n: RNode, out: string[]): void {
  if (n.t === 'rep') { if (n.min >= 1) runsOf(n.item, out); return; }
  if (n.t !== 'cat') { const c = single(n); if (c !== null) out.push(c); return; }
  let run = '';
  for (const it of n.items) {
    const c = single(it);
    if (c !== null) { run += c; continue; }
    if (run) out.push(run);
    run = '';
    if (it.t !== 'assert') runsOf(it, out);
  }
  if (run) out.push(run);
}

/**
 * Every literal (lower-cased) a match must contain, as `regexLiteral` finds the longest: distinct, none
 * inside another; [] when none is known.
 */
export function regexLiterals(pattern: string, flags: string): string[] {
  const out: string[] = [];
  try { runsOf(parseRegex(pattern, flags), out); } catch { return []; }
  const all = [...new Set(out)];
  return all.filter((l) => !all.some((m) => m !== l && m.includes(l)));
}

/** Required literal of a pattern (lower-cased); '' when none is known. */
export function regexLiteral(pattern: string, flags: string): string {
  try { return longest(parseRegex(pattern, flags)); } catch { return ''; }
}

function minLen(n: RNode): number {
  switch (n.t) {
    case 'set': case 'any': return 1;
    case 'cat': return n.items.reduce((s, i) => s + minLen(i), 0);
    case 'alt': return Math.min(...n.items.map(minLen));
    case 'rep': return n.min * minLen(n.item);
    default: return 0;
  }
}

/** The shortest input a pattern can match (a cheap length prefilter). */
export function regexMinLength(pattern: string, flags: string): number {
  try { return minLen(parseRegex(pattern, flags)); } catch { return 0; }
}
