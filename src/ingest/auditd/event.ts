/**
 * The records of one audit event → one RawRecord (format `auditd`). `data` is flat so mappings and
 * Sigma rules address fields by name: SYSCALL fields as written (register args as `syscall_a0…a3`,
 * `syscall` by name, `arch` by name), enrichment (`UID`, `AUID`, …) upper-case, EXECVE as `argc`,
 * `argv` and `a0…a63`, `proctitle`, `cwd`, PATH names as `name` (item 0) and `paths`, SOCKADDR as `saddr`
 * plus its decoded `saddr_family`/`saddr_addr`/`saddr_port`/`saddr_path`, and other record types'
 * fields where they do not clash. `type` lists the record types in order.
 */
import type { RawRecord } from '../../core/index.js';
import type { AuditRecord } from './line.js';
import { archName, decodeSockaddr, fieldValue, hexBytes, littleEndian, MAX_VALUE, splitNul, syscallName } from './decode.js';

type Obj = Record<string, unknown>;

/** argv bounds: arguments kept, total decoded characters kept, arguments also exposed as a0…aN keys. */
export const MAX_ARGS = 4096;
export const MAX_ARGV_CHARS = 1 << 20;
const NAMED_ARGS = 64;

/** Defines a field without ever touching a prototype (`__proto__` from a log is just a name). */
export function put(o: Obj, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}
const has = (o: Obj, k: string) => Object.prototype.hasOwnProperty.call(o, k);

class Argv {
  argc = -1;
  whole = new Map<number, string>();
  pieces = new Map<number, string[]>();
  pieceChars = new Map<number, number>();

  add(k: string, v: string, quoted: boolean): void {
    if (k === 'argc') { this.argc = Number(v); return; }
    const m = /^a(\d{1,5})(?:\[(\d{1,5})\]|(_len))?$/.exec(k);
    if (!m || m[3]) return;
    const i = Number(m[1]);
    if (i >= MAX_ARGS) return;
    if (m[2] === undefined) { this.whole.set(i, fieldValue(k, v, quoted) ?? ''); return; }
    const got = this.pieceChars.get(i) ?? 0;
    if (got >= MAX_VALUE * 2) return;
    const list = this.pieces.get(i) ?? [];
    list[Number(m[2])] = v; // pieces are hex; order by index
    this.pieces.set(i, list);
    this.pieceChars.set(i, got + v.length);
  }

  /** The arguments, in order; `truncated` when a bound or a missing piece cut them. */
  build(): { argv: string[]; truncated: boolean } {
    const n = Math.min(this.argc >= 0 ? this.argc : Math.max(-1, ...this.whole.keys(), ...this.pieces.keys()) + 1, MAX_ARGS);
    let truncated = this.argc > MAX_ARGS;
    let total = 0;
    const argv: string[] = [];
    for (let i = 0; i < n; i++) {
      let a = this.whole.get(i);
      if (a === undefined) {
        const p = this.pieces.get(i);
        if (p) {
          const hex = Array.from(p, (x) => x ?? '').join('');
          a = hexBytes(hex)?.toString('utf8') ?? hex;
          if (p.includes(undefined as unknown as string) || hex.length >= MAX_VALUE * 2) truncated = true;
        } else { a = ''; truncated = true; }
      }
      if (a.length > MAX_VALUE) { a = a.slice(0, MAX_VALUE); truncated = true; }
      if (total + a.length > MAX_ARGV_CHARS) { truncated = true; break; }
      total += a.length;
      argv.push(a);
    }
    return { argv, truncated };
  }
}

/** Builds the RawRecord of one event from its records (in arrival order). */
export function buildEvent(recs: AuditRecord[], file: string): RawRecord {
  const first = recs[0];
  const data: Obj = {};
  const types: string[] = [];
  const paths: string[] = [];
  const argv = new Argv();
  let sawExecve = false;
  let saddr: string | undefined;
  let archRaw: string | undefined;
  const rest: AuditRecord[] = [];
  put(data, 'id', first.id);
  if (first.node) put(data, 'node', first.node);
  for (const r of recs) {
    if (!types.includes(r.type)) types.push(r.type);
    switch (r.type) {
      case 'SYSCALL':
        for (const [k, v, q] of r.fields) {
          if (/^a[0-3]$/.test(k)) put(data, `syscall_${k}`, v);
          else if (k === 'arch') archRaw = v;
          else if (k === 'key') setKey(data, fieldValue(k, v, q));
          else put(data, k, fieldValue(k, v, q));
        }
        for (const [k, v] of r.enriched) put(data, k, v);
        break;
      case 'EXECVE':
        sawExecve = true;
        for (const [k, v, q] of r.fields) argv.add(k, v, q);
        break;
      case 'PROCTITLE':
        for (const [k, v, q] of r.fields) if (k === 'proctitle') put(data, 'proctitle', splitNul(fieldValue(k, v, q) ?? '').join(' '));
        break;
      case 'CWD':
        for (const [k, v, q] of r.fields) if (k === 'cwd') put(data, 'cwd', fieldValue(k, v, q));
        break;
      case 'PATH':
        for (const [k, v, q] of r.fields) if (k === 'name' && paths.length < 64) paths.push(fieldValue(k, v, q) ?? '');
        break;
      case 'SOCKADDR':
        for (const [k, v] of r.fields) if (k === 'saddr' && saddr === undefined) saddr = v;
        break;
      case 'EOE':
        break;
      default:
        rest.push(r);
    }
  }
  put(data, 'type', types);
  if (archRaw !== undefined) {
    put(data, 'arch', archName(archRaw));
    if (typeof data.syscall === 'string') {
      put(data, 'syscall_nr', data.syscall);
      const named = typeof data.SYSCALL === 'string' ? data.SYSCALL : syscallName(archName(archRaw), data.syscall, data.syscall_a0 as string | undefined);
      put(data, 'syscall', named);
    }
  }
  if (sawExecve) {
    const { argv: args, truncated } = argv.build();
    put(data, 'argc', argv.argc >= 0 ? String(argv.argc) : String(args.length));
    put(data, 'argv', args);
    for (let i = 0; i < Math.min(args.length, NAMED_ARGS); i++) put(data, `a${i}`, args[i]);
    if (truncated) put(data, 'argv_truncated', true);
  }
  if (paths.length) { put(data, 'name', paths[0]); put(data, 'paths', paths); }
  if (saddr !== undefined) sockaddr(data, saddr, littleEndian(archRaw));
  for (const r of rest) {
    for (const [k, v, q] of r.fields) if (!has(data, k)) put(data, k, k === 'key' ? keyValue(fieldValue(k, v, q)) : fieldValue(k, v, q));
    for (const [k, v] of r.enriched) if (!has(data, k)) put(data, k, v);
  }
  const system = { provider: 'auditd', timeMs: first.timeMs, recordId: first.serial } as RawRecord['system'];
  if (first.node) system.computer = first.node;
  return { format: 'auditd', ref: { file, record: first.id, channel: null, eventId: null, line: first.line, offset: first.offset }, system, data };
}

/** Rule keys: several keys are joined by 0x01 in one hex value. */
function keyValue(v: string | null): string | string[] | undefined {
  if (v == null) return undefined;
  const parts = v.split('\x01');
  return parts.length > 1 ? parts : v;
}
function setKey(data: Obj, v: string | null): void {
  const k = keyValue(v);
  if (k !== undefined) put(data, 'key', k);
}

function sockaddr(data: Obj, hex: string, le: boolean | undefined): void {
  put(data, 'saddr', hex.slice(0, 1024));
  const s = decodeSockaddr(hex, le);
  if (!s) return;
  put(data, 'saddr_family', s.family);
  if (s.addr !== undefined) put(data, 'saddr_addr', s.addr);
  if (s.port !== undefined) put(data, 'saddr_port', s.port);
  if (s.path !== undefined) put(data, 'saddr_path', s.path);
}
