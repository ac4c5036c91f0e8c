/**
 * One auditd text line → one audit record: `[syslog prefix] [node=N] type=T msg=audit(SEC.MS:SERIAL): k=v …`
 * with optional enrichment after 0x1D (`UID="root"` …, written by `log_format=ENRICHED`). Also reads
 * the kernel's printk form (`type=1300 audit(…)`). Values stay as the log wrote them; hex decoding of
 * untrusted string fields happens in fields.ts.
 */
import { syslogHost } from '../text/syslog.js';

export { syslogHost };

/** One parsed record (one line) of an audit event. */
export interface AuditRecord {
  type: string;
  /** `node=` or the syslog host, when the line names one */
  node?: string;
  /** event time, ms since the epoch */
  timeMs: number;
  /** the `SEC.MS:SERIAL` event id */
  id: string;
  serial: number;
  /** fields in log order; quoted values are unquoted, `'…'` (msg=) is expanded into its own fields */
  fields: [string, string, boolean][];
  /** enrichment (ENRICHED format) fields */
  enriched: [string, string][];
  line: number;
  offset: number;
}

const HEAD = /(?:^|[\s:])(?:node=(\S{1,255})\s+)?type=([A-Za-z0-9_]{1,32})\s+(?:msg=)?audit\((\d{1,12})\.(\d{1,6}):(\d{1,20})\):?/;
const MAX_FIELDS = 4096;

/** Kernel record type numbers (printk form, and `type=UNKNOWN[n]`) for the types an event needs. */
const TYPE_NUMBERS: Record<string, string> = {
  '1300': 'SYSCALL', '1302': 'PATH', '1303': 'IPC', '1304': 'SOCKETCALL', '1306': 'SOCKADDR', '1307': 'CWD',
  '1309': 'EXECVE', '1320': 'EOE', '1327': 'PROCTITLE', '1006': 'LOGIN', '1112': 'USER_LOGIN', '1123': 'USER_CMD',
};

/** Parses one line; undefined when it carries no audit record. */
export function parseAuditLine(text: string, line: number, offset: number): AuditRecord | undefined {
  const m = HEAD.exec(text);
  if (!m) return undefined;
  let type = m[2];
  if (/^\d+$/.test(type)) type = TYPE_NUMBERS[type] ?? `UNKNOWN[${type}]`;
  const prefix = text.slice(0, m.index);
  const node = m[1] ?? (prefix.trim() ? syslogHost(prefix) : undefined);
  const ms = Number(m[4].padEnd(3, '0').slice(0, 3));
  const timeMs = Number(m[3]) * 1000 + ms;
  let body = text.slice(m.index + m[0].length);
  let enrichedText = '';
  const gs = body.indexOf('\x1d');
  if (gs >= 0) { enrichedText = body.slice(gs + 1); body = body.slice(0, gs); }
  const fields: [string, string, boolean][] = [];
  tokenize(body, fields, 0);
  const enriched: [string, string][] = [];
  if (enrichedText) {
    const e: [string, string, boolean][] = [];
    tokenize(enrichedText, e, 0);
    for (const [k, v] of e) enriched.push([k, v]);
  }
  return { type, node, timeMs, id: `${m[3]}.${m[4]}:${m[5]}`, serial: Number(m[5]), fields, enriched, line, offset };
}

/** `k=v k="quoted" msg='k=v …'` → fields; the boolean says the value was double-quoted (never hex). */
function tokenize(s: string, out: [string, string, boolean][], depth: number): void {
  let i = 0;
  const n = s.length;
  while (i < n && out.length < MAX_FIELDS) {
    while (i < n && (s[i] === ' ' || s[i] === '\t')) i++;
    if (i >= n) break;
    const eq = s.indexOf('=', i);
    const sp = nextSpace(s, i);
    if (eq < 0 || eq > sp) { i = sp; continue; } // a bare word: not a field
    const key = s.slice(i, eq);
    i = eq + 1;
    const q = s[i];
    if (q === '"' || q === "'") {
      const close = s.indexOf(q, i + 1);
      const end = close < 0 ? n : close;
      const val = s.slice(i + 1, end);
      i = close < 0 ? n : close + 1;
      if (q === "'" && depth === 0 && val.includes('=')) tokenize(val, out, 1);
      else out.push([key, val, true]);
    } else {
      const end = nextSpace(s, i);
      out.push([key, s.slice(i, end), false]);
      i = end;
    }
  }
}

function nextSpace(s: string, from: number): number {
  for (let j = from; j < s.length; j++) if (s[j] === ' ' || s[j] === '\t') return j;
  return s.length;
}
