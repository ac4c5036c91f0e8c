/**
 * One syslog message (the bytes of one frame or datagram, already UTF-8 decoded) → its header fields
 * and MSG. Reads RFC 5424 (`<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG`), RFC 3164
 * (`<PRI>Mmm dd hh:mm:ss HOST TAG[PID]: MSG`, PRI optional, year inferred) and rsyslog's forwarding
 * templates (RSYSLOG_ForwardFormat puts an RFC 3339 timestamp in the 3164 layout). The parser never
 * fails: whatever header it cannot read stays in `msg`, so no message is lost to a sloppy sender.
 */

/** One STRUCTURED-DATA element: `[id name="value" …]`, values unescaped. */
export interface SdElement {
  id: string;
  params: [string, string][];
}

/** A parsed syslog message. Absent fields were absent (or `-`) in the header. */
export interface SyslogMessage {
  /** header layout that was read: `rfc5424`, `rfc3164`, or `none` (the whole text is MSG) */
  form: 'rfc5424' | 'rfc3164' | 'none';
  pri?: number;
  facility?: number;
  severity?: number;
  /** the timestamp as written */
  timestamp?: string;
  /** the timestamp in ms since the epoch, UTC (RFC 3164: the sender's zone is unknown, read as UTC) */
  timeMs?: number;
  host?: string;
  app?: string;
  procid?: string;
  msgid?: string;
  structuredData: SdElement[];
  msg: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?([Zz]|[+-]\d\d:\d\d)/;
const BSD_TIME = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (?:(\d{4}) )?(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(?= |$)/;
const TAG = /^([^\s[\]:]{1,64})(?:\[([^\]\s]{1,128})\])?:(?: |$)/;
const HOSTNAME = /^[^\s[\]:]{1,255}$/;

/** Parses one message; `nowMs` anchors the year of RFC 3164 timestamps. */
export function parseSyslog(text: string, nowMs = Date.now()): SyslogMessage {
  const out: SyslogMessage = { form: 'none', structuredData: [], msg: '' };
  let rest = text;
  const p = /^<(\d{1,3})>/.exec(rest);
  if (p && Number(p[1]) <= 191) {
    out.pri = Number(p[1]);
    out.facility = out.pri >> 3;
    out.severity = out.pri & 7;
    rest = rest.slice(p[0].length);
  }
  if (!(/^[1-9]\d? /.test(rest) && parse5424(rest, out))) parse3164(rest, out, nowMs);
  out.msg = trimEnd(out.msg);
  return out;
}

/** RFC 5424 after the PRI; false (and `out` untouched but for nothing) when the header does not fit. */
function parse5424(s: string, out: SyslogMessage): boolean {
  const m = /^[1-9]\d? (\S+) (\S{1,255}) (\S{1,48}) (\S{1,128}) (\S{1,32}) /.exec(s + ' ');
  if (!m) return false;
  const [, ts, host, app, procid, msgid] = m;
  let timeMs: number | undefined;
  if (ts !== '-') {
    const t = RFC3339.exec(ts);
    if (!t || t[0].length !== ts.length) return false;
    timeMs = rfc3339Ms(t);
    if (timeMs === undefined) return false;
  }
  const sd = parseSd(s, m[0].length);
  if (!sd) return false;
  out.form = 'rfc5424';
  if (ts !== '-') { out.timestamp = ts; out.timeMs = timeMs; }
  if (host !== '-') out.host = host;
  if (app !== '-') out.app = app;
  if (procid !== '-') out.procid = procid;
  if (msgid !== '-') out.msgid = msgid;
  out.structuredData = sd.elements;
  let msg = sd.end >= s.length ? '' : s.slice(s[sd.end] === ' ' ? sd.end + 1 : sd.end);
  if (msg.charCodeAt(0) === 0xfeff) msg = msg.slice(1);
  out.msg = msg;
  return true;
}

/** STRUCTURED-DATA from `i`: `-` or `[id k="v" …]…`; undefined when malformed. */
function parseSd(s: string, i: number): { elements: SdElement[]; end: number } | undefined {
  if (i >= s.length) return undefined;
  if (s[i] === '-') return s[i + 1] === undefined || s[i + 1] === ' ' ? { elements: [], end: i + 1 } : undefined;
  const elements: SdElement[] = [];
  while (s[i] === '[') {
    const id = /^[^\s="\]]{1,32}/.exec(s.slice(i + 1, i + 34));
    if (!id) return undefined;
    const el: SdElement = { id: id[0], params: [] };
    i += 1 + id[0].length;
    while (s[i] === ' ') {
      const name = /^([^\s="\]]{1,32})="/.exec(s.slice(i + 1, i + 36));
      if (!name) return undefined;
      const v = sdValue(s, i + 1 + name[0].length);
      if (!v) return undefined;
      el.params.push([name[1], v.value]);
      i = v.end;
    }
    if (s[i] !== ']') return undefined;
    i++;
    elements.push(el);
  }
  if (!elements.length || (i < s.length && s[i] !== ' ')) return undefined;
  return { elements, end: i };
}

/** A PARAM-VALUE from `i` (just after the opening quote) to its unescaped closing quote. */
function sdValue(s: string, i: number): { value: string; end: number } | undefined {
  let value = '';
  for (let j = i; j < s.length; j++) {
    const c = s[j];
    if (c === '"') return { value, end: j + 1 };
    // RFC 5424 6.3.3: only `\"`, `\\` and `\]` are escapes; any other backslash is kept as written
    if (c === '\\' && (s[j + 1] === '"' || s[j + 1] === '\\' || s[j + 1] === ']')) { value += s[j + 1]; j++; continue; }
    value += c;
  }
  return undefined;
}

/** RFC 3164 (and rsyslog's traditional / ForwardFormat layouts) after the optional PRI. */
function parse3164(s: string, out: SyslogMessage, nowMs: number): void {
  let rest = s;
  const b = BSD_TIME.exec(rest);
  const r = b ? undefined : RFC3339.exec(rest);
  if (b) {
    out.timestamp = b[0];
    out.timeMs = bsdMs(b, nowMs);
    rest = rest.slice(b[0].length);
  } else if (r && (rest.length === r[0].length || rest[r[0].length] === ' ')) {
    out.timestamp = r[0];
    out.timeMs = rfc3339Ms(r);
    rest = rest.slice(r[0].length);
  } else {
    out.msg = rest; // no timestamp: rsyslog would not guess a host either
    return;
  }
  out.form = 'rfc3164';
  rest = rest.replace(/^ +/, '');
  // a local sender writes `TAG: msg` with no host; a host token never ends in `:` or holds `[`
  const word = /^\S+/.exec(rest)?.[0] ?? '';
  if (word && HOSTNAME.test(word) && !TAG.test(rest)) {
    out.host = word;
    rest = rest.slice(word.length + 1);
  }
  const t = TAG.exec(rest);
  if (t) {
    out.app = t[1];
    if (t[2] !== undefined) out.procid = t[2];
    rest = rest.slice(t[0].length);
  }
  out.msg = rest;
}

function rfc3339Ms(t: RegExpExecArray): number | undefined {
  const [, y, mo, d, h, mi, sec, frac, zone] = t;
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +sec > 60) return undefined;
  const ms = frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0;
  let off = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    off = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  return Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec, ms) - off;
}

/** `Mmm dd [yyyy] hh:mm:ss[.fff]`: without a year, the year that puts it closest to `nowMs`. */
function bsdMs(b: RegExpExecArray, nowMs: number): number | undefined {
  const [, mon, d, y, h, mi, sec, frac] = b;
  const month = MONTHS.indexOf(mon);
  if (month < 0 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +sec > 60) return undefined;
  const ms = frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0;
  const at = (year: number) => Date.UTC(year, month, +d, +h, +mi, +sec, ms);
  if (y) return at(+y);
  const now = new Date(nowMs).getUTCFullYear();
  let best = at(now);
  for (const year of [now - 1, now + 1]) if (Math.abs(at(year) - nowMs) < Math.abs(best - nowMs)) best = at(year);
  return best;
}

/** Trailing CR/LF: RSYSLOG_SyslogProtocol23Format ends every message with LF, also inside octet frames. */
function trimEnd(s: string): string {
  let e = s.length;
  while (e > 0 && (s.charCodeAt(e - 1) === 10 || s.charCodeAt(e - 1) === 13)) e--;
  return e === s.length ? s : s.slice(0, e);
}
