/**
 * A small, bounded XML reader for Windows-style event records (`<Event><System>…<EventData><Data Name=…>`),
 * as Sysmon for Linux writes them. No DTDs, no external entities: only the five predefined entities and
 * numeric references are expanded; anything else stays literal text. Depth and element count are bounded.
 */
import type { RawSystem } from '../../core/index.js';

/** An element: name, attributes, children and its direct text. */
export interface XmlElement { name: string; attrs: Record<string, string>; children: XmlElement[]; text: string }

const MAX_DEPTH = 32;
const MAX_ELEMENTS = 20_000;
const ENT: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Expands the predefined and numeric entities; unknown ones are kept as written. */
export function unescapeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]{1,6}|#\d{1,7});/g, (all, e: string) => {
    if (e[0] !== '#') return ENT[e];
    const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : all;
  });
}

const nameCh = (c: number) => c > 0x20 && c !== 0x3e && c !== 0x2f && c !== 0x3d && c !== 0x3c;

/** Parses one XML document (or fragment with one root); throws an Error with a message on bad input. */
export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#root', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let count = 0;
  let i = 0;
  const n = xml.length;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    const top = stack[stack.length - 1];
    if (lt < 0) { top.text += unescapeXml(xml.slice(i)); break; }
    if (lt > i) top.text += unescapeXml(xml.slice(i, lt));
    if (xml.startsWith('<!--', lt)) { i = skipTo(xml, '-->', lt); continue; }
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt);
      if (end < 0) throw new Error('unterminated CDATA');
      top.text += xml.slice(lt + 9, end);
      i = end + 3;
      continue;
    }
    if (xml.startsWith('<!', lt)) throw new Error('DTDs and declarations are not accepted');
    if (xml.startsWith('<?', lt)) { i = skipTo(xml, '?>', lt); continue; }
    if (xml[lt + 1] === '/') {
      const gt = xml.indexOf('>', lt);
      if (gt < 0) throw new Error('unterminated end tag');
      const name = xml.slice(lt + 2, gt).trim();
      if (stack.length < 2 || top.name !== name) throw new Error(`unexpected </${name}>`);
      stack.pop();
      i = gt + 1;
      continue;
    }
    let j = lt + 1;
    while (j < n && nameCh(xml.charCodeAt(j))) j++;
    const el: XmlElement = { name: xml.slice(lt + 1, j), attrs: {}, children: [], text: '' };
    if (!el.name) throw new Error('bad start tag');
    j = attributes(xml, j, el.attrs);
    if (++count > MAX_ELEMENTS) throw new Error(`more than ${MAX_ELEMENTS} elements`);
    top.children.push(el);
    if (xml[j] === '/') { i = j + 2; continue; }
    if (stack.length > MAX_DEPTH) throw new Error(`nesting deeper than ${MAX_DEPTH}`);
    stack.push(el);
    i = j + 1;
  }
  if (stack.length > 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  const el = root.children[0];
  if (!el) throw new Error('no element');
  return el;
}

function skipTo(xml: string, end: string, from: number): number {
  const k = xml.indexOf(end, from);
  if (k < 0) throw new Error(`unterminated ${xml.slice(from, from + 4)}`);
  return k + end.length;
}

/** Reads `a="v" b='w'` up to `>` or `/>`; returns the index of `>` or `/`. */
function attributes(xml: string, j: number, out: Record<string, string>): number {
  const n = xml.length;
  for (;;) {
    while (j < n && xml.charCodeAt(j) <= 0x20) j++;
    if (j >= n) throw new Error('unterminated start tag');
    if (xml[j] === '>') return j;
    if (xml[j] === '/' && xml[j + 1] === '>') return j;
    let k = j;
    while (k < n && nameCh(xml.charCodeAt(k))) k++;
    const name = xml.slice(j, k);
    while (k < n && xml.charCodeAt(k) <= 0x20) k++;
    if (!name || xml[k] !== '=') throw new Error('bad attribute');
    k++;
    while (k < n && xml.charCodeAt(k) <= 0x20) k++;
    const q = xml[k];
    if (q !== '"' && q !== "'") throw new Error('unquoted attribute value');
    const end = xml.indexOf(q, k + 1);
    if (end < 0) throw new Error('unterminated attribute value');
    if (name !== '__proto__') out[name] = unescapeXml(xml.slice(k + 1, end));
    j = end + 1;
  }
}

const child = (el: XmlElement | undefined, name: string) => el?.children.find((c) => c.name === name);
const int = (s: string | undefined) => (s !== undefined && /^\s*(0x[0-9a-f]+|\d{1,15})\s*$/i.test(s) ? Number(s.trim()) : undefined);

/** An `<Event>` element → the system header and EventData/UserData fields of a RawRecord. */
export function eventFields(ev: XmlElement): { system: RawSystem; data: Record<string, unknown> } {
  const sys = child(ev, 'System');
  const t = (name: string) => child(sys, name)?.text.trim() || undefined;
  const a = (name: string, attr: string) => child(sys, name)?.attrs[attr];
  const time = a('TimeCreated', 'SystemTime');
  const system: RawSystem = {
    provider: a('Provider', 'Name'), channel: t('Channel'), eventId: int(t('EventID')), computer: t('Computer'),
    timeMs: time ? parseIso(time) : undefined, recordId: int(t('EventRecordID')), userId: a('Security', 'UserID') ?? a('Security', 'UserId'),
    processId: int(a('Execution', 'ProcessID')), threadId: int(a('Execution', 'ThreadID')), level: int(t('Level')),
    task: int(t('Task')), opcode: int(t('Opcode')), keywords: t('Keywords'), version: int(t('Version')),
  };
  for (const k of Object.keys(system) as (keyof RawSystem)[]) if (system[k] === undefined) delete system[k];
  const data: Record<string, unknown> = {};
  const ed = child(ev, 'EventData');
  const unnamed: string[] = [];
  for (const d of ed?.children ?? []) {
    const name = d.attrs.Name;
    if (name === undefined) unnamed.push(d.text);
    else if (name !== '__proto__') data[name] = d.text;
  }
  if (unnamed.length) data.Data = unnamed.length === 1 ? unnamed[0] : unnamed;
  const ud = child(ev, 'UserData')?.children[0];
  for (const c of ud?.children ?? []) if (c.name !== '__proto__' && !Object.prototype.hasOwnProperty.call(data, c.name)) data[c.name] = c.text;
  return { system, data };
}

function parseIso(s: string): number | undefined {
  let v = s.trim().replace(' ', 'T').replace(/(\.\d{3})\d+/, '$1');
  if (!/[zZ]|[+-]\d\d:?\d\d$/.test(v)) v += 'Z';
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}
