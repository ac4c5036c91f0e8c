/**
 * The Zeek TSV reader: `LogAscii` logs with `#separator`, `#set_separator`, `#empty_field`, `#unset_field`,
 * `#path`, `#fields` and `#types` headers (headers may repeat mid-file after a rotation or concatenation).
 * Each data line becomes a RawRecord (format `zeek`) whose data holds the fields by their Zeek names
 * (`id.orig_h` …): unset fields are left out, `(empty)` is '', sets/vectors are arrays, counts, ports and
 * intervals are numbers. `_path` names the log. Mappings: normalize/mappings/zeek.yaml.
 */
import { diag, type RawRecord } from '../../core/index.js';
import type { Input, ReadResult, Source } from '../source.js';
import { headLines, looksText, readLines } from '../text/lines.js';
import { zeekTime } from './json.js';

const MAX_LINE = 1 << 20;
const MAX_FIELDS = 512;
const MAX_SET = 1024;

interface Header { sep: string; setSep: string; empty: string; unset: string; path?: string; fields?: string[]; types?: string[] }
const fresh = (): Header => ({ sep: '\t', setSep: ',', empty: '(empty)', unset: '-' });

/** `\x09` escapes in header values → the characters. */
const unescapeSep = (s: string) => s.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

export const zeekSource: Source = {
  id: 'zeek',
  sniff(head) {
    if (!looksText(head)) return 0;
    const lines = headLines(head, 12);
    return lines[0]?.startsWith('#separator') && lines.some((l) => l.startsWith('#fields')) ? 0.97 : 0;
  },
  read: (input: Input) => readZeek(input),
};

/** Streams a Zeek TSV log. */
export async function* readZeek(input: Input): AsyncGenerator<ReadResult[]> {
  let h = fresh();
  for await (const batch of readLines(input.open(), input.name, MAX_LINE)) {
    const out: ReadResult[] = [];
    for (const r of batch) {
      if (r.diagnostic) { out.push({ diagnostic: r.diagnostic }); continue; }
      const { text, line, offset, partial } = r.line;
      const loc = { file: input.name, line, offset };
      if (!text) continue;
      if (text[0] === '#') { h = header(text, h); continue; }
      if (!h.fields) { out.push({ diagnostic: diag('SW1009', 'Zeek data line before a #fields header', loc) }); continue; }
      const cols = text.split(h.sep);
      if (cols.length !== h.fields.length) {
        const code = partial ? 'SW1008' : 'SW1012';
        out.push({ diagnostic: diag(code, `Zeek line has ${cols.length} fields, the header names ${h.fields.length}`, loc) });
        continue;
      }
      out.push({ record: toRecord(cols, h, input.name, line, offset) });
    }
    if (out.length) yield out;
  }
}

function header(text: string, h: Header): Header {
  const sp = text.search(/[\t ]/);
  const key = sp < 0 ? text : text.slice(0, sp);
  const val = sp < 0 ? '' : text.slice(sp + 1);
  switch (key) {
    case '#separator': return { ...fresh(), sep: unescapeSep(val) || '\t' };
    case '#set_separator': return { ...h, setSep: unescapeSep(val.split(h.sep)[0] ?? ',') };
    case '#empty_field': return { ...h, empty: val.split(h.sep)[0] ?? '(empty)' };
    case '#unset_field': return { ...h, unset: val.split(h.sep)[0] ?? '-' };
    case '#path': return { ...h, path: val.split(h.sep)[0] };
    case '#fields': return { ...h, fields: val.split(h.sep).slice(0, MAX_FIELDS) };
    case '#types': return { ...h, types: val.split(h.sep).slice(0, MAX_FIELDS) };
    default: return h; // #open, #close, comments
  }
}

function value(raw: string, type: string | undefined, h: Header): unknown {
  if (type && /^(set|vector|table)\[/.test(type)) {
    if (raw === h.empty) return [];
    const inner = type.slice(type.indexOf('[') + 1, -1);
    return raw.split(h.setSep).slice(0, MAX_SET).map((x) => value(x, inner, h));
  }
  if (raw === h.empty) return '';
  if (type === 'count' || type === 'port' || type === 'int' || type === 'double' || type === 'interval' || type === 'time') {
    const n = Number(raw);
    return Number.isFinite(n) ? n : raw;
  }
  if (type === 'bool') return raw === 'T' ? true : raw === 'F' ? false : raw;
  return raw;
}

function toRecord(cols: string[], h: Header, file: string, line: number, offset: number): RawRecord {
  const data: Record<string, unknown> = {};
  const fields = h.fields!;
  for (let i = 0; i < fields.length; i++) {
    if (cols[i] === h.unset || fields[i] === '__proto__') continue;
    data[fields[i]] = value(cols[i], h.types?.[i], h);
  }
  if (h.path) data._path = h.path;
  const system: RawRecord['system'] = { provider: 'Zeek' };
  if (h.path) system.channel = h.path;
  const t = zeekTime(data.ts);
  if (t !== undefined) system.timeMs = t;
  return { format: 'zeek', ref: { file, record: line, channel: h.path ?? null, eventId: null, line, offset }, system, data };
}
