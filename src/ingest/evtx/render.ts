/**
 * Renders a record's node tree (template + values) straight into the RawRecord shape shared with the
 * JSON readers: System fields typed, EventData/UserData as string values. No XML text is built.
 */
import type { RawSystem } from '../../core/index.js';
import { type ChunkContext, type ElemNode, type XNode } from './binxml.js';
import { filetimeMs, renderArray, renderScalar, T } from './values.js';

const MAX_DEPTH = 64;

/** What a record renders to: the System header and the data fields. */
export interface Rendered { system: RawSystem; data: Record<string, unknown> }

type Visit = (el: ElemNode, vals: number[]) => void;

/** Like Windows and libevtx, an element whose only content is a null optional substitution is not rendered. */
function omitted(el: ElemNode, vals: number[]): boolean {
  if (el.children.length !== 1) return false;
  const c = el.children[0];
  if (c.k !== 2 || !c.optional) return false;
  const j = c.index * 3;
  return j >= vals.length || vals[j] === T.Null || vals[j + 2] === 0;
}

/** Calls `visit` for each element among `nodes`, looking through template instances and nested binary XML. */
function eachElem(ctx: ChunkContext, nodes: XNode[], vals: number[], depth: number, visit: Visit): void {
  if (depth > MAX_DEPTH) return;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.k === 0) {
      if (!omitted(n, vals)) visit(n, vals);
    } else if (n.k === 3) eachElem(ctx, n.nodes, n.vals, depth + 1, visit);
    else if (n.k === 2) {
      const j = n.index * 3;
      if (j < vals.length && vals[j] === T.BinXml && vals[j + 2] > 0) {
        eachElem(ctx, ctx.nested(vals[j + 1], vals[j + 2], depth), [], depth + 1, visit);
      }
    }
  }
}

/** The text content of `nodes`: a string, or a list of strings when the content is one array value. */
export function contentOf(ctx: ChunkContext, nodes: XNode[], vals: number[], depth = 0): string | string[] {
  if (nodes.length === 1) {
    const n = nodes[0];
    if (n.k === 1) return n.text;
    if (n.k === 2) return substValue(ctx, n.index, vals);
  }
  let s = '';
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.k === 1) s += n.text;
    else if (n.k === 2) {
      const v = substValue(ctx, n.index, vals);
      s += typeof v === 'string' ? v : v.join(',');
    } else if (n.k === 3 && depth < MAX_DEPTH) {
      const v = contentOf(ctx, n.nodes, n.vals, depth + 1);
      s += typeof v === 'string' ? v : v.join(',');
    }
  }
  return s;
}

function substValue(ctx: ChunkContext, index: number, vals: number[]): string | string[] {
  const j = index * 3;
  if (j >= vals.length) return '';
  const t = vals[j];
  const size = vals[j + 2];
  if (size === 0 || t === T.BinXml) return '';
  return t & T.ArrayFlag ? renderArray(ctx.buf, t, vals[j + 1], size) : renderScalar(ctx.buf, t, vals[j + 1], size);
}

function attrNodes(el: ElemNode, name: string): XNode[] | undefined {
  for (let i = 0; i < el.attrs.length; i++) if (el.attrs[i].name === name) return el.attrs[i].value;
  return undefined;
}

function attrText(ctx: ChunkContext, el: ElemNode, name: string, vals: number[]): string | undefined {
  const v = attrNodes(el, name);
  if (!v) return undefined;
  const s = contentOf(ctx, v, vals);
  return typeof s === 'string' ? s : s.join(',');
}

function num(s: string | string[] | undefined): number | undefined {
  if (typeof s !== 'string' || s === '') return undefined;
  const n = s.startsWith('0x') ? parseInt(s, 16) : Number(s);
  return Number.isFinite(n) ? n : undefined;
}

function timeOf(ctx: ChunkContext, el: ElemNode, vals: number[]): number | undefined {
  const v = attrNodes(el, 'SystemTime');
  if (!v) return undefined;
  if (v.length === 1 && v[0].k === 2) {
    const j = v[0].index * 3;
    if (vals[j] === T.FileTime && vals[j + 2] === 8) return filetimeMs(ctx.buf, vals[j + 1]);
  }
  const s = contentOf(ctx, v, vals);
  const ms = typeof s === 'string' ? Date.parse(s) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

function renderSystem(ctx: ChunkContext, sysEl: ElemNode, sysVals: number[], sys: RawSystem): void {
  eachElem(ctx, sysEl.children, sysVals, 0, (el, vals) => {
    switch (el.name) {
      case 'Provider': {
        const p = attrText(ctx, el, 'Name', vals);
        if (p) sys.provider = p;
        break;
      }
      case 'EventID': sys.eventId = num(contentOf(ctx, el.children, vals)); break;
      case 'Version': sys.version = num(contentOf(ctx, el.children, vals)); break;
      case 'Level': sys.level = num(contentOf(ctx, el.children, vals)); break;
      case 'Task': sys.task = num(contentOf(ctx, el.children, vals)); break;
      case 'Opcode': sys.opcode = num(contentOf(ctx, el.children, vals)); break;
      case 'Keywords': {
        const k = contentOf(ctx, el.children, vals);
        if (typeof k === 'string' && k) sys.keywords = k;
        break;
      }
      case 'TimeCreated': sys.timeMs = timeOf(ctx, el, vals); break;
      case 'EventRecordID': sys.recordId = num(contentOf(ctx, el.children, vals)); break;
      case 'Execution':
        sys.processId = num(attrText(ctx, el, 'ProcessID', vals));
        sys.threadId = num(attrText(ctx, el, 'ThreadID', vals));
        break;
      case 'Channel': {
        const c = contentOf(ctx, el.children, vals);
        if (typeof c === 'string' && c) sys.channel = c;
        break;
      }
      case 'Computer': {
        const c = contentOf(ctx, el.children, vals);
        if (typeof c === 'string' && c) sys.computer = c;
        break;
      }
      case 'Security': {
        const u = attrText(ctx, el, 'UserID', vals);
        if (u) sys.userId = u;
        break;
      }
    }
  });
  for (const k in sys) if (sys[k as keyof RawSystem] === undefined) delete sys[k as keyof RawSystem];
}

/** Adds a value; a repeated name turns into a list of values. */
function put(data: Record<string, unknown>, key: string, value: string | string[]): void {
  const prev = Object.prototype.hasOwnProperty.call(data, key) ? data[key] : undefined;
  // names come from the log (attacker-controlled): define, never assign, so `__proto__` stays a plain key
  if (prev === undefined) {
    if (key === '__proto__') Object.defineProperty(data, key, { value, enumerable: true, writable: true, configurable: true });
    else data[key] = value;
  }
  else if (Array.isArray(prev)) prev.push(...(typeof value === 'string' ? [value] : value));
  else data[key] = [prev as string, ...(typeof value === 'string' ? [value] : value)];
}

function renderEventData(ctx: ChunkContext, edEl: ElemNode, edVals: number[], data: Record<string, unknown>): void {
  const unnamed: string[] = [];
  eachElem(ctx, edEl.children, edVals, 0, (el, vals) => {
    const value = contentOf(ctx, el.children, vals);
    if (el.name === 'Data') {
      const name = attrText(ctx, el, 'Name', vals);
      if (name) put(data, name, value);
      else if (typeof value === 'string') unnamed.push(value);
      else unnamed.push(...value);
    } else {
      put(data, el.name, value);
    }
  });
  if (unnamed.length) put(data, 'Data', unnamed.length === 1 ? unnamed[0] : unnamed);
}

function hasChildElem(ctx: ChunkContext, el: ElemNode, vals: number[]): boolean {
  let found = false;
  eachElem(ctx, el.children, vals, 0, () => { found = true; });
  return found;
}

/** Flattens the children of a UserData top element: nested elements as `Parent.Child`, attributes as `Elem.attr`. */
function flatten(ctx: ChunkContext, el: ElemNode, vals: number[], prefix: string, data: Record<string, unknown>, depth: number): void {
  if (depth > MAX_DEPTH) return;
  eachElem(ctx, el.children, vals, 0, (c, cv) => {
    const path = prefix + c.name;
    for (const a of c.attrs) {
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) continue;
      const v = contentOf(ctx, a.value, cv);
      if (v !== '') put(data, `${path}.${a.name}`, v);
    }
    if (hasChildElem(ctx, c, cv)) flatten(ctx, c, cv, path + '.', data, depth + 1);
    else put(data, path, contentOf(ctx, c.children, cv));
  });
}

function renderUserData(ctx: ChunkContext, udEl: ElemNode, udVals: number[], data: Record<string, unknown>): void {
  eachElem(ctx, udEl.children, udVals, 0, (top, vals) => {
    for (const a of top.attrs) {
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) continue;
      const v = contentOf(ctx, a.value, vals);
      if (v !== '') put(data, a.name, v);
    }
    flatten(ctx, top, vals, '', data, 0);
  });
}

/** Renders the nodes of one record (usually a single template instance) into system + data. */
export function renderRecord(ctx: ChunkContext, nodes: XNode[]): Rendered {
  const out: Rendered = { system: {}, data: {} };
  eachElem(ctx, nodes, [], 0, (ev, evVals) => {
    if (ev.name !== 'Event') return;
    eachElem(ctx, ev.children, evVals, 0, (el, vals) => {
      switch (el.name) {
        case 'System': renderSystem(ctx, el, vals, out.system); break;
        case 'EventData': renderEventData(ctx, el, vals, out.data); break;
        case 'UserData': renderUserData(ctx, el, vals, out.data); break;
        case 'RenderingInfo': break;
        default: flatten(ctx, el, vals, '', out.data, 0); // ProcessingErrorData, DebugData, …
      }
    });
  });
  return out;
}
