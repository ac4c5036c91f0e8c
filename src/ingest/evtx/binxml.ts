/**
 * The binary XML token stream of one chunk, parsed into a small node tree (no XML strings).
 * Offsets are chunk-relative: names and template definitions are referenced by chunk offset, so the
 * parser works on a buffer whose index 0 is the chunk start. Template definitions are parsed once per
 * chunk and cached by offset; a record's template instance is a cached tree plus its value table.
 */
import { utf16 } from './values.js';

/** An element: name, attributes, children. */
export interface ElemNode { k: 0; name: string; attrs: AttrNode[]; children: XNode[] }
export interface AttrNode { name: string; value: XNode[] }
/** Literal text (values, CDATA, character and entity references). */
export interface TextNode { k: 1; text: string }
/** A substitution slot of a template (`optional`: omitted when its value is null). */
export interface SubstNode { k: 2; index: number; optional: boolean }
/**
 * A template instance: the template's nodes and its values, a flat table of
 * [type, offset, size] triples (chunk-relative offsets).
 */
export interface InstanceNode { k: 3; nodes: XNode[]; vals: number[] }
export type XNode = ElemNode | TextNode | SubstNode | InstanceNode;

/** Thrown (and caught per record) when the token stream is malformed. */
export class BinXmlError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

const MAX_DEPTH = 64;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const PARSING: XNode[] = [];
/**
 * Spare value tables by value count, for the record being parsed by `recordNodes` and rendered: the
 * tables of its template instances (outside template definitions, which are cached for the chunk)
 * live only until it is rendered, so they are reused record after record.
 */
const SPARE_VALS: (number[] | undefined)[] = [];

/** Per-chunk parse state: the chunk bytes, and caches of names and template definitions. */
export class ChunkContext {
  private readonly names = new Map<number, string>();
  private readonly templates = new Map<number, XNode[]>();
  private readonly binxml = new Map<number, XNode[]>();

  /** Value tables lent to the record being parsed (given back by `releaseRecord`). */
  private readonly lent: number[][] = [];
  private lending = false;
  /** Where the last nameRef() or element() stopped reading. */
  private after = 0;

  constructor(readonly buf: Buffer) {}

  private u16(o: number): number {
    if (o + 2 > this.buf.length || o < 0) throw new BinXmlError('read past chunk end', o);
    return this.buf[o] | (this.buf[o + 1] << 8);
  }

  private u32(o: number): number {
    if (o + 4 > this.buf.length || o < 0) throw new BinXmlError('read past chunk end', o);
    const b = this.buf;
    return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
  }

  /** The name stored at `off` (next-offset, hash, count, UTF-16 chars, NUL). */
  name(off: number): string {
    let s = this.names.get(off);
    if (s === undefined) {
      const n = this.u16(off + 6);
      const end = off + 8 + n * 2;
      if (end > this.buf.length) throw new BinXmlError('name past chunk end', off);
      s = utf16(this.buf, off + 8, end);
      this.names.set(off, s);
    }
    return s;
  }

  /**
   * Reads a name reference at `pos`; returns the name and leaves the position after it (skipping an
   * inline name) in `this.after` (no [name, position] pair per name).
   */
  private nameRef(pos: number): string {
    const off = this.u32(pos);
    pos += 4;
    const s = this.name(off);
    if (off === pos) pos += 10 + this.u16(off + 6) * 2;
    this.after = pos;
    return s;
  }

  /** Parses a whole binary XML fragment in [pos, end) into nodes. */
  fragment(pos: number, end: number, depth = 0, inTemplate = false): XNode[] {
    const out: XNode[] = [];
    this.content(pos, end, out, depth, true, inTemplate);
    return out;
  }

  /**
   * The nodes of one record's fragment, to be rendered before the next record is parsed: until
   * `releaseRecord()` (always called, also when parsing or rendering throws), the value tables of its
   * template instances and of the nested binary XML values read while rendering it are borrowed.
   */
  recordNodes(pos: number, end: number): XNode[] {
    this.lending = true;
    return this.fragment(pos, end);
  }

  /**
   * Gives back the value tables lent to the last record and forgets its nested binary XML values
   * (they lie inside the record, so no other record refers to them): its nodes must no longer be used.
   */
  releaseRecord(): void {
    this.lending = false;
    for (const v of this.lent) SPARE_VALS[v.length / 3] = v;
    this.lent.length = 0;
    if (this.binxml.size) this.binxml.clear();
  }

  /** A value table for `count` values: a spare one for the record being read, else a new one. */
  private valueTable(count: number, inTemplate: boolean): number[] {
    if (!this.lending || inTemplate) return new Array<number>(count * 3);
    let v = SPARE_VALS[count];
    if (v) SPARE_VALS[count] = undefined;
    else v = new Array<number>(count * 3);
    this.lent.push(v);
    return v;
  }

  /** Nodes of a nested binary XML value (type 0x21), cached by offset (until the record is released). */
  nested(off: number, size: number, depth: number): XNode[] {
    let nodes = this.binxml.get(off);
    if (nodes === undefined) {
      if (depth > MAX_DEPTH) throw new BinXmlError('binary XML nested too deeply', off);
      this.binxml.set(off, PARSING);
      try {
        nodes = this.fragment(off, off + size, depth + 1);
      } catch (e) {
        this.binxml.delete(off);
        throw e;
      }
      // replaces the PARSING mark (no delete and set: a tiny Map reallocates its table on delete)
      this.binxml.set(off, nodes);
    } else if (nodes === PARSING) {
      throw new BinXmlError('binary XML refers to itself', off);
    }
    return nodes;
  }

  /** Template definition at `off`: next offset, GUID, data size, fragment. */
  template(off: number, depth: number): XNode[] {
    let nodes = this.templates.get(off);
    if (nodes === PARSING) throw new BinXmlError('template refers to itself', off);
    if (nodes === undefined) {
      if (depth > MAX_DEPTH) throw new BinXmlError('templates nested too deeply', off);
      const size = this.u32(off + 20);
      const end = off + 24 + size;
      if (end > this.buf.length) throw new BinXmlError('template definition past chunk end', off);
      this.templates.set(off, PARSING);
      try {
        nodes = this.fragment(off + 24, end, depth + 1, true);
      } finally {
        this.templates.delete(off);
      }
      this.templates.set(off, nodes);
    }
    return nodes;
  }

  /**
   * Parses content tokens from `pos` into `out` until EndElement (consumed) or EOF.
   * Returns the position after the last token read.
   */
  private content(pos: number, end: number, out: XNode[], depth: number, top: boolean, tpl: boolean): number {
    const b = this.buf;
    if (depth > MAX_DEPTH) throw new BinXmlError('elements nested too deeply', pos);
    for (;;) {
      if (pos >= end) {
        if (top) return pos;
        throw new BinXmlError('binary XML ends inside an element', pos);
      }
      const tok = b[pos];
      switch (tok & 0xbf) {
        case 0x00:
          if (!top) throw new BinXmlError('end of stream inside an element', pos);
          return pos + 1;
        case 0x04:
          if (top) throw new BinXmlError('unexpected end element', pos);
          return pos + 1;
        case 0x0f:
          pos += 4;
          break;
        case 0x01: {
          out.push(this.element(pos, end, depth + 1, tpl));
          pos = this.after;
          break;
        }
        case 0x0c:
          pos = this.instance(pos, end, out, depth, tpl);
          break;
        default:
          pos = this.leaf(pos, out);
      }
    }
  }

  /** Value, substitution, CDATA, char/entity references and PIs: tokens that make no element. */
  private leaf(pos: number, out: XNode[]): number {
    const tok = this.buf[pos];
    switch (tok & 0xbf) {
      case 0x05: {
        const type = this.buf[pos + 1];
        if (type !== 0x01) throw new BinXmlError(`unsupported inline value type 0x${type.toString(16)}`, pos);
        const n = this.u16(pos + 2);
        const e = pos + 4 + n * 2;
        if (e > this.buf.length) throw new BinXmlError('value past chunk end', pos);
        out.push({ k: 1, text: utf16(this.buf, pos + 4, e) });
        return e;
      }
      case 0x0d:
      case 0x0e:
        out.push({ k: 2, index: this.u16(pos + 1), optional: (tok & 0xbf) === 0x0e });
        return pos + 4;
      case 0x07: {
        const n = this.u16(pos + 1);
        const e = pos + 3 + n * 2;
        if (e > this.buf.length) throw new BinXmlError('CDATA past chunk end', pos);
        out.push({ k: 1, text: this.buf.toString('utf16le', pos + 3, e) });
        return e;
      }
      case 0x08:
        out.push({ k: 1, text: String.fromCharCode(this.u16(pos + 1)) });
        return pos + 3;
      case 0x09: {
        const name = this.nameRef(pos + 1);
        out.push({ k: 1, text: ENTITIES[name] ?? `&${name};` });
        return this.after;
      }
      case 0x0a:
        this.nameRef(pos + 1);
        return this.after;
      case 0x0b:
        return pos + 3 + this.u16(pos + 1) * 2;
      default:
        throw new BinXmlError(`unknown token 0x${tok.toString(16)}`, pos);
    }
  }

  /**
   * OpenStartElement: dependency id, size, name, attributes, then children or empty close. The
   * position after the element is left in `this.after`.
   */
  private element(pos: number, end: number, depth: number, tpl: boolean): ElemNode {
    const hasAttrs = (this.buf[pos] & 0x40) !== 0;
    const name = this.nameRef(pos + (tpl || this.hasDependencyId(pos) ? 7 : 5));
    pos = this.after;
    const el: ElemNode = { k: 0, name, attrs: [], children: [] };
    if (hasAttrs) pos += 4;
    for (;;) {
      if (pos >= end) throw new BinXmlError('element start runs past its fragment', pos);
      const tok = this.buf[pos];
      const t = tok & 0xbf;
      if (t === 0x06) {
        const an = this.nameRef(pos + 1);
        pos = this.after;
        const value: XNode[] = [];
        pos = this.attrValue(pos, end, value);
        el.attrs.push({ name: an, value });
      } else if (t === 0x02) {
        this.after = this.content(pos + 1, end, el.children, depth, false, tpl);
        return el;
      } else if (t === 0x03) {
        this.after = pos + 1;
        return el;
      } else {
        throw new BinXmlError(`unexpected token 0x${tok.toString(16)} in element start`, pos);
      }
    }
  }

  /**
   * Template definitions always carry a 2-byte dependency id after OpenStartElement; raw
   * (template-less) fragments written by some providers do not. Outside templates, pick the layout
   * whose name offset is inline or points at a well-formed earlier name.
   */
  private hasDependencyId(pos: number): boolean {
    if (pos + 11 > this.buf.length) return true;
    const withDep = this.u32(pos + 7);
    const without = this.u32(pos + 5);
    if (withDep === pos + 11) return true;
    if (without === pos + 9) return false;
    return this.plausibleName(withDep, pos) || !this.plausibleName(without, pos);
  }

  private plausibleName(off: number, before: number): boolean {
    if (off < 512 || off >= before || off + 10 > this.buf.length) return false;
    const n = this.u16(off + 6);
    const nul = off + 8 + n * 2;
    return n > 0 && nul + 2 <= this.buf.length && this.buf[nul] === 0 && this.buf[nul + 1] === 0;
  }

  /** Attribute value tokens up to the next attribute or the end of the element start. */
  private attrValue(pos: number, end: number, out: XNode[]): number {
    while (pos < end) {
      const t = this.buf[pos] & 0xbf;
      if (t === 0x06 || t === 0x02 || t === 0x03) return pos;
      pos = this.leaf(pos, out);
    }
    throw new BinXmlError('attribute runs past its fragment', pos);
  }

  /** TemplateInstance: template id, definition offset (inline definition skipped), value table. */
  private instance(pos: number, end: number, out: XNode[], depth: number, inTemplate: boolean): number {
    const defOff = this.u32(pos + 6);
    pos += 10;
    const nodes = this.template(defOff, depth);
    if (defOff === pos) pos += 24 + this.u32(defOff + 20);
    const count = this.u32(pos);
    pos += 4;
    if (count > 4096 || pos + count * 4 > end) throw new BinXmlError('template value table too large', pos);
    const vals = this.valueTable(count, inTemplate);
    let voff = pos + count * 4;
    for (let i = 0; i < count; i++) {
      const d = pos + i * 4;
      const size = this.buf[d] | (this.buf[d + 1] << 8);
      vals[i * 3] = this.buf[d + 2];
      vals[i * 3 + 1] = voff;
      vals[i * 3 + 2] = size;
      voff += size;
    }
    if (voff > end) throw new BinXmlError('template values run past the record', voff);
    out.push({ k: 3, nodes, vals });
    return voff;
  }
}
