/**
 * Syslog messages → RawRecords through the existing readers. Each message is rebuilt as the text line
 * those readers understand (`ISO-TIME HOST APP[PROCID]: MSG`, whose host text/syslog.ts reads), or
 * kept as bare JSON when MSG is a JSON object (rsyslog/Fluent Bit forwarding JSON). A batch is split by
 * the reader each message sniffs as, so a JSON message never lands in an auditd read, and each group is
 * read with readBuffer exactly as a file of those lines would be.
 */
import type { Diagnostic, Location, RawRecord } from '../../core/index.js';
import { readBuffer, sniffBuffer } from '../bytes.js';
import type { SyslogMessage } from './parse.js';

/** A message waiting in a connection's batch. */
export interface QueuedMessage {
  /** the line(s) handed to the reader */
  text: string;
  /** reader id the message sniffs as, or null when no reader recognises it (other programs' lines) */
  reader: string | null;
  /** `host|SEC.MS:SERIAL` of an audit record, so an event's lines are not split over two batches */
  auditKey?: string;
  /** the record is the event's EOE: the event is complete */
  eoe?: boolean;
  /** the record belongs to a syscall event, which the kernel always ends with an EOE record */
  syscallEvent?: boolean;
  /** byte offset of the frame in its TCP/TLS connection */
  offset?: number;
  /** 1-based message number on its connection (UDP: from its sender) */
  seq: number;
  receivedMs: number;
}

/** Record types of syscall events (names and printk numbers): only those are worth waiting for an EOE. */
const SYSCALL_EVENT = /^(?:SYSCALL|EXECVE|CWD|PATH|PROCTITLE|SOCKADDR|SOCKETCALL|IPC|MMAP|FD_PAIR|BPRM_FCAPS|OBJ_PID|13[0-3]\d)$/;
const AUDIT = /\btype=([A-Za-z0-9_]{1,32})\s+(?:msg=)?audit\((\d{1,12}\.\d{1,6}:\d{1,20})\)/;

/** Rebuilds `m` for the readers and sniffs which one reads it; `peerHost` stands in for a missing HOST. */
export function queueMessage(m: SyslogMessage, peerHost: string, stream: string, at: { seq: number; receivedMs: number; offset?: number }): QueuedMessage {
  const q: QueuedMessage = { text: '', reader: null, seq: at.seq, receivedMs: at.receivedMs };
  if (at.offset !== undefined) q.offset = at.offset;
  const body = m.msg.trim();
  if (body.startsWith('{') && body.endsWith('}')) {
    q.text = body.replace(/\r?\n/g, ' ');
    q.reader = 'json';
    return q;
  }
  const host = m.host ?? peerHost;
  const prefix = `${new Date(m.timeMs ?? at.receivedMs).toISOString()} ${host} ${m.app ? `${m.app}${m.procid ? `[${m.procid}]` : ''}: ` : ''}`;
  // every line of a multi-line MSG carries the header (an auditd sender may pack records), except
  // XML, whose continuation lines are element content the prefix would corrupt
  const lines = m.msg.split(/\r?\n/).filter((l) => l.trim());
  q.text = m.msg.includes('<Event') ? prefix + lines.join('\n') : lines.map((l) => prefix + l).join('\n');
  q.reader = sniffBuffer(Buffer.from(q.text), stream)?.id ?? null;
  if (q.reader === 'auditd') {
    const a = AUDIT.exec(m.msg);
    if (a) {
      const node = /\bnode=(\S{1,255})\s+type=/.exec(m.msg)?.[1] ?? host;
      q.auditKey = `${node}|${a[2]}`;
      if (a[1] === 'EOE' || a[1] === '1320') q.eoe = true;
      else if (SYSCALL_EVENT.test(a[1])) q.syscallEvent = true;
    }
  }
  return q;
}

/**
 * How many of `pending` (taken from the front, at most `max`) may go out now: the lines of the newest
 * audit syscall event are held back until its EOE, a record of another event after it, or `holdMs`
 * after its first line arrived (senders do pause mid-event: rsyslog over TLS was seen sending an
 * event's first record alone, the rest >20 ms later). Single-record events (USER_*, LOGIN…) have no
 * EOE and are never held. Held messages are returned apart; the caller keeps them, in order.
 */
export function takeBatch(pending: QueuedMessage[], max: number, nowMs: number, holdMs: number, final: boolean): { batch: QueuedMessage[]; held: QueuedMessage[] } {
  const window = pending.slice(0, max);
  if (final) return { batch: window, held: [] };
  let last: QueuedMessage | undefined;
  for (let i = window.length - 1; i >= 0 && !last; i--) if (window[i].auditKey) last = window[i];
  if (!last || last.eoe) return { batch: window, held: [] };
  // the event may continue past the window: then the window's last audit event is incomplete too
  const key = last.auditKey;
  const held = window.filter((q) => q.auditKey === key);
  if (!held.some((q) => q.syscallEvent)) return { batch: window, held: [] };
  if (held.length === window.length && window.length >= max) return { batch: window, held: [] }; // one event fills a batch
  if (nowMs - held[0].receivedMs >= holdMs) return { batch: window, held: [] };
  return { batch: window.filter((q) => q.auditKey !== key), held };
}

/** Result of reading one batch: the records (provenance set) and the readers' diagnostics. */
export interface BatchRead {
  records: RawRecord[];
  diagnostics: Diagnostic[];
}

/** Reads a batch of one connection's messages, one readBuffer call per reader, in first-seen order. */
export async function readBatch(batch: QueuedMessage[], stream: string, sender: string | undefined): Promise<BatchRead> {
  const groups = new Map<string, QueuedMessage[]>();
  for (const q of batch) {
    if (q.reader === null) continue;
    let g = groups.get(q.reader);
    if (!g) groups.set(q.reader, (g = []));
    g.push(q);
  }
  const out: BatchRead = { records: [], diagnostics: [] };
  for (const [reader, group] of groups) {
    const owner: QueuedMessage[] = []; // owner[line - 1]: the message a line of the buffer came from
    for (const q of group) for (let i = 0, n = lineCount(q.text); i < n; i++) owner.push(q);
    const r = await readBuffer(Buffer.from(group.map((q) => q.text).join('\n')), stream, { reader });
    for (const rec of r.records) {
      const q = rec.ref.line !== undefined ? owner[rec.ref.line - 1] : undefined;
      rec.ref.stream = stream;
      if (sender !== undefined) rec.ref.sender = sender;
      place(rec.ref, q);
      out.records.push(rec);
    }
    for (const d of r.diagnostics) {
      if (d.location) place(d.location, d.location.line !== undefined ? owner[d.location.line - 1] : undefined);
      out.diagnostics.push(d);
    }
  }
  return out;
}

/** Positions in the batch buffer mean nothing to a user: point at the message in the stream instead. */
function place(loc: Pick<Location, 'line' | 'offset'>, q: QueuedMessage | undefined): void {
  delete loc.line;
  delete loc.offset;
  if (!q) return;
  loc.line = q.seq;
  if (q.offset !== undefined) loc.offset = q.offset;
}

function lineCount(s: string): number {
  let n = 1;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
