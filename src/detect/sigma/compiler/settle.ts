/**
 * Settles freshly compiled data for keeping (what the loader holds for every rule until the engine is
 * built; the same values the compiled-rule cache gives back). `settle` takes data that went through
 * JSON (so its strings are flat strings of their own, not concatenation chains or slices of the file
 * text, and its objects and arrays have exactly their size) and, in place:
 *  - makes equal strings one string, across every file of a load;
 *  - makes the most repeated small nodes one node: the wildcards `{w: '*'}` / `{w: '?'}` (65,000 of
 *    them in SigmaHQ), windash classes, glob value tests (42,000, 27,000 distinct), condition
 *    references `{t: 'ref', name}`, logsources, tag and technique lists.
 * Shared nodes make compiled items read-only (nothing changes them in place). The tables stay small
 * (a few thousand built keys) or are keyed by strings the data keeps anyway (globs, by their first
 * literal): key strings built for every node, or sharing every node kind, left more resident memory
 * at the end of a load (garbage not yet returned) than they saved.
 */
type Obj = Record<string, unknown>;

/** V8's JSON.parse internalizes string values up to this length (shared already, nothing to look up). */
const JSON_INTERNALIZED = 10;
const STAR = { w: '*' };
const ONE = { w: '?' };

export class Settler {
  private readonly strings = new Map<string, string>();
  private readonly nodes = new Map<string, unknown>();
  private readonly globs = new Map<string, Obj | Obj[]>();

  str(s: string): string {
    // JSON.parse already hands out one internalized string per text of up to 10 characters
    if (s.length <= JSON_INTERNALIZED) return s;
    const t = this.strings.get(s);
    if (t !== undefined) return t;
    this.strings.set(s, s);
    return s;
  }

  /** Settles `v` (parsed JSON) in place; returns what to keep in its place. `key` is its property name. */
  settle(v: unknown, key = ''): unknown {
    if (typeof v === 'string') return this.str(v);
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = this.settle(v[i]);
      return (key === 'tags' || key === 'techniques') && v.every((x) => typeof x === 'string') ? this.shared(`L${v.join('\u0000')}`, v) : v;
    }
    const o = v as Obj;
    let first = '', n = 0;
    for (const k in o) {
      const x = this.settle(o[k], k);
      // an own `__proto__` (JSON.parse makes one) must stay a property, not become the prototype
      if (k === '__proto__') Object.defineProperty(o, k, { value: x, writable: true, enumerable: true, configurable: true });
      else o[k] = x;
      if (n++ === 0) first = k;
    }
    return key === 'logsource' ? this.logsource(o) : first === 'w' || first === 't' ? this.node(o, first, n) : o;
  }

  /** The shared copy of a wildcard, class, condition reference or glob value test, or `o` itself. */
  private node(o: Obj, first: string, n: number): Obj {
    if (first === 'w') {
      const w = o.w;
      if (n === 1) return w === '*' ? STAR : w === '?' ? ONE : o;
      return n === 2 && w === 'c' && typeof o.chars === 'string' ? this.shared(`C${o.chars}`, o) : o;
    }
    const t = o.t;
    if (n === 2 && t === 'ref' && typeof o.name === 'string') return this.shared(`R${o.name}`, o);
    if (n === 3 && t === 'glob' && Array.isArray(o.parts)) return this.glob(o, o.parts);
    return o;
  }

  private logsource(o: Obj): Obj {
    let k = 'S';
    for (const p in o) { const x = o[p]; if (typeof x !== 'string') return o; k += `${p}\u0001${x}\u0000`; }
    return this.shared(k, o);
  }

  /**
   * A glob value test `{t, parts, cased}` whose parts are settled (strings and shared wildcards), shared
   * with an equal one; indexed by its first literal (a string already kept: no key strings to build).
   */
  private glob(o: Obj, parts: unknown[]): Obj {
    let first = '';
    for (let i = 0; i < parts.length; i++) { const p = parts[i]; if (typeof p === 'string') { first = p; break; } }
    const had = this.globs.get(first);
    if (had === undefined) { this.globs.set(first, o); return o; }
    if (!Array.isArray(had)) {
      if (sameGlob(had, o, parts)) return had;
      this.globs.set(first, [had, o]);
      return o;
    }
    for (let i = 0; i < had.length; i++) if (sameGlob(had[i], o, parts)) return had[i];
    if (had.length < 16) had.push(o);
    return o;
  }

  private shared<T>(k: string, v: T): T {
    const t = this.nodes.get(k);
    if (t !== undefined) return t as T;
    this.nodes.set(k, v);
    return v;
  }
}

function sameGlob(g: Obj, o: Obj, parts: unknown[]): boolean {
  if (g.cased !== o.cased) return false;
  const a = g.parts as unknown[];
  if (a.length !== parts.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== parts[i]) return false;
  return true;
}
