/**
 * A fast reader for the subset of YAML that Sigma rules are written in: block mappings and sequences,
 * plain (also multi-line), single- and double-quoted scalars, flow sequences and simple flow maps,
 * comments, `---` separators, literal `|` and folded `>` block scalars (clip or strip chomping).
 * Scalars resolve as the `yaml` package's core schema does (null, bool, int, hex/octal, float).
 *
 * It gives up on the whole file (returns null) at anything else — anchors, aliases, tags, directives,
 * complex or non-string keys, tabs, CR, a BOM, keep chomping, indentation indicators, more-indented
 * folded lines, anything odd — and the caller then parses the file with the `yaml` package, which
 * also reports the errors. `test/sigma/yaml-fast.test.ts` holds it to `yaml` on every corpus rule file
 * (values and source positions).
 */

/** Source offsets of a container's children: a map's key offsets by key, a sequence's item offsets. */
export type Offsets = Map<string, number> | number[];

/** One non-empty document of a file. */
export interface FastDoc {
  /** 0-based index of the document in its file (empty documents count) */
  index: number;
  value: unknown;
  /** offset of the document's root node */
  start: number;
  /** child offsets of every map and sequence of the document */
  offsets: WeakMap<object, Offsets>;
}

import { ESCAPES, resolvePlain } from './yaml-scalars.js';

export { resolvePlain };

class Bail extends Error {}
/** Thrown (never escapes `parseFast`) where the text leaves the subset. */
const BAIL = new Bail('outside the fast YAML subset');

const SP = 32, NL = 10, HASH = 35, DASH = 45, COLON = 58, DQ = 34, SQ = 39, COMMA = 44;
const LBRACK = 91, RBRACK = 93, LBRACE = 123, RBRACE = 125, PIPE = 124, GT = 62, BSL = 92, DOT = 46;

/** Characters that cannot start a plain scalar (or key) here: `? , [ ] { } # & * ! | > ' " % @ \`` (`:` is checked apart). */
const BAD_START = new Uint8Array(128);
for (const c of '?,[]{}#&*!|>\'"%@`') BAD_START[c.charCodeAt(0)] = 1;
/** Flow indicators. */
const FLOW = new Uint8Array(128);
for (const c of ',[]{}') FLOW[c.charCodeAt(0)] = 1;

class Parser {
  readonly offsets = new WeakMap<object, Offsets>();
  private readonly n: number;
  constructor(private readonly s: string) { this.n = s.length; }

  private c(i: number): number { return i < this.n ? this.s.charCodeAt(i) : -1; }
  /** space, line feed or end of text */
  private ws(i: number): boolean { const c = this.c(i); return c === SP || c === NL || c === -1; }
  private col(i: number): number { return i - (this.s.lastIndexOf('\n', i - 1) + 1); }
  private eol(i: number): number { const e = this.s.indexOf('\n', i); return e < 0 ? this.n : e; }
  /** `---` or `...` at the start of a line */
  private marker(i: number): boolean {
    const c = this.c(i);
    return (c === DASH || c === DOT) && this.col(i) === 0 && this.c(i + 1) === c && this.c(i + 2) === c && this.ws(i + 3);
  }

  /** From `i` (mid-line): only spaces and a comment may follow on this line. Returns the next line's start. */
  private endLine(i: number): number {
    const start = i;
    while (this.c(i) === SP) i++;
    const c = this.c(i);
    if (c === HASH && i > start) return this.eol(i) + 1;
    if (c === NL) return i + 1;
    if (c === -1) return this.n;
    throw BAIL;
  }

  /** From a line start: skips blank and comment lines; returns the first content character (or n). */
  private content(i: number): number {
    for (;;) {
      while (this.c(i) === SP) i++;
      const c = this.c(i);
      if (c === NL) { i++; continue; }
      if (c === HASH) { i = this.eol(i) + 1; continue; }
      return Math.min(i, this.n);
    }
  }

  /** Every document of the text. */
  parse(): FastDoc[] {
    const docs: FastDoc[] = [];
    let i = this.content(0), index = 0, explicit = false;
    while (i < this.n) {
      if (this.c(i) === DASH && this.marker(i)) {
        if (explicit) index++;
        explicit = true;
        i = this.content(this.endLine(i + 3));
        continue;
      }
      if (this.marker(i) || this.c(i) === 37 /* % */) throw BAIL;
      const start = i;
      const c = this.c(i);
      const isSeq = c === DASH && this.ws(i + 1);
      if (!isSeq && !this.isKey(i)) throw BAIL;
      const r = isSeq ? this.seq(i, this.col(i)) : this.map(i, this.col(i));
      i = r.next;
      docs.push({ index, value: r.value, start, offsets: this.offsets });
      if (i < this.n && !(this.c(i) === DASH && this.marker(i))) throw BAIL;
      index++;
      explicit = false;
    }
    return docs;
  }

  /** Does a mapping key start at `i` (plain or quoted, `:` then a space or the line end)? */
  private isKey(i: number): boolean {
    const c = this.c(i);
    if (c === DQ || c === SQ) {
      const e = this.eol(i);
      const q = this.s.indexOf(c === DQ ? '"' : "'", i + 1);
      if (q < 0 || q > e) return false;
      // the key must be `"..."` followed by `:` and a space/end; anything else here bails in key()
      let j = i + 1;
      for (;;) {
        const k = this.s.indexOf(c === DQ ? '"' : "'", j);
        if (k < 0 || k > e) return false;
        if (c === DQ && this.escaped(k)) { j = k + 1; continue; }
        if (c === SQ && this.c(k + 1) === SQ) { j = k + 2; continue; }
        return this.c(k + 1) === COLON && this.ws(k + 2);
      }
    }
    if ((c < 128 && BAD_START[c]) || c === COLON) return false;
    const e = this.eol(i);
    for (let j = i; j < e; j++) {
      const d = this.s.charCodeAt(j);
      if (d === COLON && this.ws(j + 1)) return true;
      if (d === HASH && this.c(j - 1) === SP) return false;
    }
    return false;
  }

  private escaped(k: number): boolean {
    let b = 0;
    while (this.c(k - 1 - b) === BSL) b++;
    return b % 2 === 1;
  }

  /** A key at `i`; returns the key and the offset just after its `:`. */
  private key(i: number): { key: string; next: number } {
    const c = this.c(i);
    let key: string, j: number;
    if (c === DQ || c === SQ) {
      const r = this.quoted(i, -1, true);
      if (typeof r.value !== 'string') throw BAIL;
      key = r.value;
      j = r.next;
      if (this.c(j) !== COLON || !this.ws(j + 1)) throw BAIL;
    } else {
      if ((c < 128 && BAD_START[c]) || c === COLON) throw BAIL;
      j = i;
      for (;;) {
        const d = this.c(j);
        if (d === COLON && this.ws(j + 1)) break;
        if (d === NL || d === -1 || (d === HASH && this.c(j - 1) === SP)) throw BAIL;
        j++;
      }
      let e = j;
      while (this.c(e - 1) === SP) e--;
      const v = resolvePlain(this.s.slice(i, e));
      if (typeof v !== 'string') throw BAIL;
      key = v;
    }
    if (key.length > 1000 || key === '__proto__' || key === '<<') throw BAIL;
    return { key, next: j + 1 };
  }

  /** A block mapping whose keys are at column `m`, first key at `i`. */
  private map(i: number, m: number): { value: Record<string, unknown>; next: number } {
    const obj: Record<string, unknown> = {};
    const keys = new Map<string, number>();
    this.offsets.set(obj, keys);
    for (;;) {
      const k = this.key(i);
      let j = k.next;
      while (this.c(j) === SP) j++;
      const d = this.c(j);
      let value: unknown, next: number;
      if (d === NL || d === -1 || d === HASH) {
        const c = this.content(this.endLine(k.next));
        if (c < this.n && this.col(c) > m && !this.marker(c)) ({ value, next } = this.block(c, m));
        else if (c < this.n && this.col(c) === m && this.c(c) === DASH && this.ws(c + 1)) ({ value, next } = this.seq(c, m));
        else { value = null; next = c; }
      } else ({ value, next } = this.inline(j, m));
      if (keys.has(k.key)) throw BAIL; // `yaml` locates the first, keeps the last: leave duplicates to it
      keys.set(k.key, i);
      obj[k.key] = value;
      i = this.content(next);
      if (i >= this.n) break;
      const col = this.col(i);
      if (col < m) break;
      if (col > m) throw BAIL;
      if (this.marker(i)) break;
      if (this.c(i) === DASH && this.ws(i + 1)) throw BAIL;
    }
    return { value: obj, next: i };
  }

  /** A block sequence whose dashes are at column `m`, first at `i`. */
  private seq(i: number, m: number): { value: unknown[]; next: number } {
    const arr: unknown[] = [];
    const items: number[] = [];
    this.offsets.set(arr, items);
    for (;;) {
      let j = i + 1;
      while (this.c(j) === SP) j++;
      const d = this.c(j);
      let r: { value: unknown; next: number };
      if (d === NL || d === -1 || d === HASH) {
        const c = this.content(this.endLine(i + 1));
        if (c < this.n && this.col(c) > m && !this.marker(c)) { r = this.block(c, m); items.push(c); } else throw BAIL;
      } else { r = this.block(j, m); items.push(j); }
      arr.push(r.value);
      i = this.content(r.next);
      if (i >= this.n) break;
      const col = this.col(i);
      if (col < m) break;
      if (col > m) throw BAIL;
      if (!(this.c(i) === DASH && this.ws(i + 1))) break;
    }
    return { value: arr, next: i };
  }

  /** Any node starting at content position `i` whose parent block is indented `m`. */
  private block(i: number, m: number): { value: unknown; next: number } {
    const c = this.c(i);
    if (c === DASH && this.ws(i + 1)) return this.seq(i, this.col(i));
    if (this.isKey(i)) return this.map(i, this.col(i));
    return this.inline(i, m);
  }

  /** A scalar or flow collection at `i` (not a key), inside a block indented `m`. */
  private inline(i: number, m: number): { value: unknown; next: number } {
    const c = this.c(i);
    if (c === DQ || c === SQ) { const r = this.quoted(i, m, false); return { value: r.value, next: this.endLine(r.next) }; }
    if (c === LBRACK || c === LBRACE) { const r = this.flow(i, m); return { value: r.value, next: this.endLine(r.next) }; }
    if (c === PIPE || c === GT) return this.blockScalar(i, m);
    if ((c < 128 && BAD_START[c]) || ((c === DASH || c === COLON) && this.ws(i + 1))) throw BAIL;
    return this.plain(i, m);
  }

  /** One line's part of a plain scalar from `i`: its end (before trailing spaces) and where the line's rest starts. */
  private plainLine(i: number): { end: number; stop: number } {
    const e = this.eol(i);
    let j = i;
    for (; j < e; j++) {
      const d = this.s.charCodeAt(j);
      if (d === COLON && this.ws(j + 1)) throw BAIL;
      if (d === HASH && this.s.charCodeAt(j - 1) === SP) break;
    }
    let end = j;
    while (this.c(end - 1) === SP) end--;
    return { end, stop: j };
  }

  /** A plain scalar in block context; continuation lines are indented more than `m`. */
  private plain(i: number, m: number): { value: unknown; next: number } {
    const first = this.plainLine(i);
    let text = this.s.slice(i, first.end);
    if (first.stop < this.eol(i)) return { value: resolvePlain(text), next: this.eol(i) + 1 }; // comment ends it
    let next = this.eol(i) + 1;
    let multi = false;
    for (;;) {
      // look at the following lines: empty ones, then a continuation line?
      let j = next, empties = 0;
      for (;;) {
        let k = j;
        while (this.c(k) === SP) k++;
        if (this.c(k) === NL) { empties++; j = k + 1; continue; }
        if (k >= this.n || this.c(k) === HASH || k - j <= m || this.marker(k)) return { value: multi ? text : resolvePlain(text), next };
        const d = this.c(k);
        if ((d < 128 && BAD_START[d]) || d === DASH || d === COLON) throw BAIL;
        const line = this.plainLine(k);
        if (line.stop < this.eol(k)) throw BAIL;
        text += (empties ? '\n'.repeat(empties) : ' ') + this.s.slice(k, line.end);
        multi = true;
        next = this.eol(k) + 1;
        break;
      }
    }
  }

  /**
   * A quoted scalar at `i`; returns its value and the offset after the closing quote. Line breaks
   * fold (continuation lines must be indented more than `m`); `key` forbids them.
   */
  private quoted(i: number, m: number, key: boolean): { value: string; next: number } {
    const dq = this.c(i) === DQ;
    let out = '';
    let keep = 0; // out[0, keep) must not be trimmed (escapes)
    let j = i + 1, run = j;
    for (;;) {
      const c = this.c(j);
      if (c === -1) throw BAIL;
      if (dq ? c === DQ : c === SQ) {
        if (!dq && this.c(j + 1) === SQ) { out += this.s.slice(run, j + 1); j += 2; run = j; keep = out.length; continue; }
        out += this.s.slice(run, j);
        return { value: out, next: j + 1 };
      }
      if (dq && c === BSL) {
        out += this.s.slice(run, j);
        const e = this.s[j + 1];
        if (e === undefined) throw BAIL;
        if (e === '\n') {
          if (key) throw BAIL;
          j = this.foldBreak(j + 1, m, true).next;
          run = j; keep = out.length;
          continue;
        }
        let hex = 0;
        if (e === 'x') hex = 2; else if (e === 'u') hex = 4; else if (e === 'U') hex = 8;
        if (hex) {
          const h = this.s.slice(j + 2, j + 2 + hex);
          if (!/^[0-9a-fA-F]+$/.test(h) || h.length !== hex) throw BAIL;
          out += String.fromCodePoint(parseInt(h, 16));
          j += 2 + hex;
        } else {
          const r = ESCAPES[e];
          if (r === undefined) throw BAIL;
          out += r;
          j += 2;
        }
        run = j; keep = out.length;
        continue;
      }
      if (c === NL) {
        if (key) throw BAIL;
        out += this.s.slice(run, j);
        let t = out.length;
        while (t > keep && out.charCodeAt(t - 1) === SP) t--;
        out = out.slice(0, t);
        const f = this.foldBreak(j, m, false);
        out += f.text;
        j = f.next; run = j; keep = out.length;
        continue;
      }
      j++;
    }
  }

  /**
   * A line break inside a quoted scalar at `j` (the `\n`, or after an escaping backslash): skips
   * empty lines and the next line's indentation. Returns the folded text and where content resumes.
   */
  private foldBreak(j: number, m: number, escaped: boolean): { text: string; next: number } {
    let empties = 0;
    j++;
    for (;;) {
      let k = j;
      while (this.c(k) === SP) k++;
      if (this.c(k) === NL) { empties++; j = k + 1; continue; }
      if (k >= this.n || k - j <= m || this.marker(k)) throw BAIL;
      return { text: empties ? '\n'.repeat(empties) : escaped ? '' : ' ', next: k };
    }
  }

  /** A literal or folded block scalar whose header is at `i`, inside a block indented `m`. */
  private blockScalar(i: number, m: number): { value: string; next: number } {
    const folded = this.c(i) === GT;
    let j = i + 1, strip = false;
    if (this.c(j) === DASH) { strip = true; j++; }
    const h = this.c(j);
    if (h !== SP && h !== NL && h !== -1) throw BAIL; // keep chomping, indentation indicators
    let line = this.endLine(j);
    // indentation: the first non-empty line's
    let n = -1, k = line;
    for (;;) {
      let e = k;
      while (this.c(e) === SP) e++;
      if (this.c(e) === NL) { k = e + 1; continue; }
      if (e >= this.n) throw BAIL;
      n = e - k;
      break;
    }
    if (n <= m) throw BAIL;
    const parts: string[] = [];
    let empties = 0;
    for (;;) {
      if (line >= this.n) break;
      let e = line;
      while (this.c(e) === SP) e++;
      const d = this.c(e);
      if (d === NL || d === -1) {
        if (e - line > n) throw BAIL;
        if (d === -1) { line = this.n; break; }
        empties++;
        line = e + 1;
        continue;
      }
      if (e - line < n) break;
      if ((folded && e - line > n) || (!parts.length && empties)) throw BAIL;
      const end = this.eol(e);
      const text = this.s.slice(line + n, end);
      if (parts.length) parts.push(folded && !empties ? ' ' : '\n'.repeat(folded ? empties : empties + 1));
      parts.push(text);
      empties = 0;
      line = end + 1;
    }
    const body = parts.join('');
    return { value: strip ? body : `${body}\n`, next: Math.min(line, this.n) };
  }

  /** Skips spaces, line breaks and comments inside a flow collection; continuation lines indented > m. */
  private flowSpace(i: number, m: number): number {
    for (;;) {
      const c = this.c(i);
      if (c === SP) { i++; continue; }
      if (c === HASH && (this.c(i - 1) === SP || this.c(i - 1) === NL)) { i = this.eol(i); continue; }
      if (c === NL) {
        i++;
        let k = i;
        while (this.c(k) === SP) k++;
        if (this.c(k) !== NL && this.c(k) !== HASH && (k - i <= m || this.marker(k))) throw BAIL;
        i = k;
        continue;
      }
      return i;
    }
  }

  /** A flow scalar or collection at `i`. */
  private flowNode(i: number, m: number): { value: unknown; next: number } {
    const c = this.c(i);
    if (c === LBRACK || c === LBRACE) return this.flow(i, m);
    if (c === DQ || c === SQ) return this.quoted(i, m, true);
    if ((c < 128 && BAD_START[c]) || c === -1 || c === COLON || (c === DASH && this.ws(i + 1))) throw BAIL;
    let j = i;
    for (;;) {
      const d = this.c(j);
      if (d === -1 || d === NL || (d < 128 && FLOW[d])) break;
      if (d === COLON && (this.ws(j + 1) || (this.c(j + 1) < 128 && FLOW[this.c(j + 1)]))) break;
      if (d === HASH && this.c(j - 1) === SP) break;
      j++;
    }
    let e = j;
    while (this.c(e - 1) === SP) e--;
    if (e === i) throw BAIL;
    return { value: resolvePlain(this.s.slice(i, e)), next: j };
  }

  /** A flow sequence or flow mapping at `i`; returns the offset after its closing bracket. */
  private flow(i: number, m: number): { value: unknown; next: number } {
    const isSeq = this.c(i) === LBRACK;
    const close = isSeq ? RBRACK : RBRACE;
    const arr: unknown[] = [];
    const obj: Record<string, unknown> = {};
    const items: number[] = [];
    const keys = new Map<string, number>();
    let j = this.flowSpace(i + 1, m);
    while (this.c(j) !== close) {
      const at = j;
      if (isSeq) {
        const r = this.flowNode(j, m);
        arr.push(r.value);
        items.push(at);
        j = this.flowSpace(r.next, m);
        if (this.c(j) === COLON) throw BAIL;
      } else {
        const k = this.flowNode(j, m);
        if (typeof k.value !== 'string' || this.c(k.next) !== COLON || !this.ws(k.next + 1)) throw BAIL;
        if (k.value === '__proto__' || k.value === '<<' || keys.has(k.value)) throw BAIL;
        j = this.flowSpace(k.next + 1, m);
        const d = this.c(j);
        if (d === COMMA || d === close) throw BAIL;
        const v = this.flowNode(j, m);
        keys.set(k.value, at);
        obj[k.value] = v.value;
        j = this.flowSpace(v.next, m);
      }
      const d = this.c(j);
      if (d === COMMA) { j = this.flowSpace(j + 1, m); continue; }
      if (d !== close) throw BAIL;
    }
    const value = isSeq ? arr : obj;
    this.offsets.set(value, isSeq ? items : keys);
    return { value, next: j + 1 };
  }
}

/** The documents of `text`, or null when it leaves the subset (parse it with `yaml` then). */
export function parseFast(text: string): FastDoc[] | null {
  if (/[\t\r\uFEFF]/.test(text)) return null;
  try {
    return new Parser(text).parse();
  } catch (e) {
    if (e === BAIL) return null;
    throw e;
  }
}
