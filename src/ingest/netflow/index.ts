/**
 * The flow CSV reader: NetFlow/IPFIX records exported as CSV with a header line (nfdump `-o csv`:
 * `ts,te,td,sa,da,sp,dp,pr,flg,…,ipkt,ibyt,opkt,obyt,…`, or long names such as src_ip/dst_port/bytes).
 * Each row becomes a RawRecord (format `netflow`, provider `NetFlow`) with the header's names plus the
 * canonical nfdump names (fields.ts). nfdump's trailing `Summary` block is skipped.
 */
import { diag, type RawRecord } from '../../core/index.js';
import type { Input, ReadResult, Source } from '../source.js';
import { headLines, looksText, readLines } from '../text/lines.js';
import { canonicalizeFlow, flowTime, isFlowFields } from './fields.js';

const MAX_LINE = 64 * 1024;
const MAX_COLUMNS = 256;

/** Splits one CSV line (RFC 4180 quotes; separator `,` or `;`). */
export function splitCsv(line: string, sep = ','): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length && out.length < MAX_COLUMNS) {
    if (line[i] === '"') {
      let v = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) { v += line.slice(j); j = line.length; break; }
        v += line.slice(j, q);
        if (line[q + 1] === '"') { v += '"'; j = q + 2; } else { j = q + 1; break; }
      }
      out.push(v);
      const next = line.indexOf(sep, j);
      i = next < 0 ? line.length + 1 : next + 1;
    } else {
      const next = line.indexOf(sep, i);
      out.push(line.slice(i, next < 0 ? line.length : next).trim());
      i = next < 0 ? line.length + 1 : next + 1;
    }
  }
  return out;
}

const sepOf = (header: string) => (header.split(';').length > header.split(',').length ? ';' : ',');

export const netflowSource: Source = {
  id: 'netflow',
  sniff(head) {
    if (!looksText(head)) return 0;
    const first = headLines(head, 5).find((l) => l.trim());
    if (!first || /^\s*[[{<#]/.test(first)) return 0;
    return isFlowFields(splitCsv(first, sepOf(first))) ? 0.9 : 0;
  },
  read: (input: Input) => readFlowCsv(input),
};

/** Streams a flow CSV export. */
export async function* readFlowCsv(input: Input): AsyncGenerator<ReadResult[]> {
  let names: string[] | undefined;
  let sep = ',';
  let summary = false;
  for await (const batch of readLines(input.open(), input.name, MAX_LINE)) {
    const out: ReadResult[] = [];
    for (const r of batch) {
      if (r.diagnostic) { out.push({ diagnostic: r.diagnostic }); continue; }
      const { text, line, offset, partial } = r.line;
      if (!text.trim() || summary) continue;
      if (/^summary\b/i.test(text.trim())) { summary = true; continue; }
      if (!names) { sep = sepOf(text); names = splitCsv(text, sep); continue; }
      const cols = splitCsv(text, sep);
      const loc = { file: input.name, line, offset };
      if (cols.length !== names.length) {
        out.push({ diagnostic: diag(partial ? 'SW1008' : 'SW1012', `flow row has ${cols.length} columns, the header names ${names.length}`, loc) });
        continue;
      }
      const data: Record<string, unknown> = {};
      names.forEach((n, i) => { if (n && n !== '__proto__' && cols[i] !== '') data[n] = cols[i]; });
      canonicalizeFlow(data);
      const system: RawRecord['system'] = { provider: 'NetFlow' };
      const t = flowTime(data.ts);
      if (t !== undefined) system.timeMs = t;
      if (typeof data.ra === 'string' && data.ra) system.computer = data.ra;
      out.push({ record: { format: 'netflow', ref: { file: input.name, record: line, channel: null, eventId: null, line, offset }, system, data } });
    }
    if (out.length) yield out;
  }
}
