/**
 * The auditd reader: raw audit.log lines, also forwarded through syslog (a prefix before `type=`), are
 * parsed (line.ts), grouped into events (assemble.ts) and emitted as one RawRecord per event (event.ts),
 * format `auditd`. Mappings: normalize/mappings/linux-auditd.yaml.
 */
import { diag } from '../../core/index.js';
import type { Input, ReadResult, Source } from '../source.js';
import { headLines, looksText, readLines } from '../text/lines.js';
import { Assembler, DEFAULT_LIMITS, type AssembleLimits } from './assemble.js';
import { parseAuditLine, syslogHost } from './line.js';

/** auditd lines are at most ~8 KiB (the kernel splits EXECVE); anything far longer is hostile. */
const MAX_LINE = 256 * 1024;

export const auditdSource: Source = {
  id: 'auditd',
  sniff(head, name) {
    if (!looksText(head)) return 0;
    const lines = headLines(head).filter((l) => l.trim() && !l.startsWith('#'));
    if (!lines.length) return 0;
    const hits = lines.filter((l, i) => parseAuditLine(l, i + 1, 0)).length;
    if (!hits) return 0;
    const base = hits * 2 >= lines.length ? 0.95 : 0.7;
    return /audit/i.test(name) ? Math.min(1, base + 0.03) : base;
  },
  read: (input: Input) => readAuditd(input),
};

/** Streams an audit log as batches of assembled events (limits are exposed for tests). */
export async function* readAuditd(input: Input, limits: AssembleLimits = DEFAULT_LIMITS): AsyncGenerator<ReadResult[]> {
  const asm = new Assembler(input.name, limits);
  for await (const batch of readLines(input.open(), input.name, MAX_LINE)) {
    const out: ReadResult[] = [];
    for (const r of batch) {
      if (r.diagnostic) { out.push({ diagnostic: r.diagnostic }); continue; }
      const { text, line, offset, partial } = r.line;
      if (!text.trim() || text.startsWith('#')) continue;
      const rec = parseAuditLine(text, line, offset);
      if (rec) { asm.push(rec, text.length, out); continue; }
      const loc = { file: input.name, line, offset };
      if (partial) out.push({ diagnostic: diag('SW1008', 'input ends inside an audit record', loc) });
      else if (/\btype=\S+\s+(msg=)?audit\(/.test(text) || /^(node=\S+\s+)?type=/.test(text)) out.push({ diagnostic: diag('SW1012', 'malformed audit record (skipped)', loc) });
      else if (!syslogHost(text)) out.push({ diagnostic: diag('SW1009', 'line is not an audit record (skipped)', loc) });
    }
    if (out.length) yield out;
  }
  const out: ReadResult[] = [];
  asm.flush(out);
  if (out.length) yield out;
}
