/** Wildcard matching without backtracking blow-up: `*`-separated segments placed leftmost, in order. */
import type { GlobPart } from '../types.js';

type Unit = string | { any: true } | { set: string };
type Segment = Unit[];

function segments(parts: GlobPart[], fold: boolean): Segment[] {
  const segs: Segment[] = [[]];
  for (const p of parts) {
    if (typeof p === 'string') segs[segs.length - 1].push(fold ? p.toLowerCase() : p);
    else if (p.w === 'c') segs[segs.length - 1].push({ set: p.chars });
    else if (p.w === '*') segs.push([]);
    else segs[segs.length - 1].push({ any: true });
  }
  return segs;
}

const segLen = (s: Segment): number => s.reduce((n, u) => n + (typeof u === 'string' ? u.length : 1), 0);

function matchAt(seg: Segment, s: string, at: number): boolean {
  let i = at;
  for (const u of seg) {
    if (typeof u === 'string') { if (!s.startsWith(u, i)) return false; i += u.length; } else {
      if (i >= s.length) return false;
      if ('set' in u && !u.set.includes(s[i])) return false;
      i++;
    }
  }
  return true;
}

function find(seg: Segment, s: string, from: number): number {
  if (seg.length === 1 && typeof seg[0] === 'string') return s.indexOf(seg[0], from);
  const len = segLen(seg);
  for (let i = from; i + len <= s.length; i++) if (matchAt(seg, s, i)) return i;
  return -1;
}

/** Builds a predicate over (already case-folded when `fold`) strings. */
export function globMatcher(parts: GlobPart[], fold: boolean): (s: string) => boolean {
  const segs = segments(parts, fold);
  if (segs.length === 1) {
    const seg = segs[0];
    if (seg.length <= 1 && (seg.length === 0 || typeof seg[0] === 'string')) { const lit = (seg[0] as string) ?? ''; return (s) => s === lit; }
    const len = segLen(seg);
    return (s) => s.length === len && matchAt(seg, s, 0);
  }
  const first = segs[0], last = segs[segs.length - 1], mid = segs.slice(1, -1);
  const simple = (seg: Segment): string | null => (seg.length === 1 && typeof seg[0] === 'string' ? seg[0] : seg.length === 0 ? '' : null);
  const f = simple(first), l = simple(last);
  if (mid.length === 0 && f !== null && l !== null) {
    if (f === '') return l === '' ? () => true : (s) => s.endsWith(l);
    if (l === '') return (s) => s.startsWith(f);
    return (s) => s.length >= f.length + l.length && s.startsWith(f) && s.endsWith(l);
  }
  if (mid.length === 1 && f === '' && l === '') { const m = simple(mid[0]); if (m !== null) return (s) => s.includes(m); }
  const fl = segLen(first), ll = segLen(last);
  return (s) => {
    if (s.length < fl + ll || !matchAt(first, s, 0) || !matchAt(last, s, s.length - ll)) return false;
    let pos = fl;
    const end = s.length - ll;
    for (const seg of mid) {
      const i = find(seg, s, pos);
      if (i < 0 || i + segLen(seg) > end) return false;
      pos = i + segLen(seg);
    }
    return true;
  };
}
