/**
 * Lineage stage: keeps the per-host process and session tables and PowerShell reassembly, and attaches
 * what they know to events (ancestors, session, the process behind a connection) as plain fields.
 * process() takes one event and pushes zero or more events, ready for detection, to `out`.
 */
import type { NetworkEvent, ProcessInfo, ProcessStartEvent, ShellEvent } from '../core/index.js';
import { ScriptBlockReassembler, type ReassemblyOptions } from './scriptblocks.js';
import { SessionTable } from './sessions.js';
import { ConnectionJoin } from './connections.js';
import { PersistenceIndex } from './persistence.js';
import { ProcessTables, type TableOptions } from './table.js';

/** Fills gaps in what the event says about a process with what the table knows, never the reverse. */
function merge(fromEvent: ProcessInfo, known: ProcessInfo | undefined): ProcessInfo {
  if (!known) return fromEvent;
  const out = { ...known, ...stripEmpty(fromEvent) };
  // auditd's PROCTITLE is cut at 128 bytes: the command line the process started with is the whole one
  // (compared without quotes: PROCTITLE holds raw argv, the start event a shell-quoted join of it)
  const k = known.commandLine, e = fromEvent.commandLine;
  if (k && e && k.length > e.length && unquoted(k).startsWith(unquoted(e))) out.commandLine = k;
  return out;
}
const unquoted = (s: string) => s.replace(/['"]/g, '');

function stripEmpty(p: ProcessInfo): ProcessInfo {
  const o: Record<string, unknown> = {};
  for (const k in p) {
    const v = p[k as keyof ProcessInfo];
    if (v !== undefined && v !== '') o[k] = v;
  }
  return o as ProcessInfo;
}

export interface LineageOptions extends TableOptions { reassembly?: ReassemblyOptions }
export interface LineageParts { tables: ProcessTables; sessions: SessionTable; connections: ConnectionJoin; persistence: PersistenceIndex; scripts: ScriptBlockReassembler }

export class Lineage {
  readonly tables: ProcessTables;
  readonly sessions: SessionTable;
  readonly connections: ConnectionJoin;
  readonly persistence: PersistenceIndex;
  private readonly scripts: ScriptBlockReassembler;

  constructor(opts: LineageOptions = {}, parts?: LineageParts) {
    this.tables = parts?.tables ?? new ProcessTables(opts);
    this.sessions = parts?.sessions ?? new SessionTable();
    this.connections = parts?.connections ?? new ConnectionJoin();
    this.persistence = parts?.persistence ?? new PersistenceIndex();
    this.scripts = parts?.scripts ?? new ScriptBlockReassembler(opts.reassembly);
  }

  /** Its tables (snapshot.ts). */
  parts(): LineageParts {
    return { tables: this.tables, sessions: this.sessions, connections: this.connections, persistence: this.persistence, scripts: this.scripts };
  }

  /** A Lineage over existing tables (snapshot.ts restores them). */
  static fromParts(parts: LineageParts, opts: LineageOptions = {}): Lineage {
    return new Lineage(opts, parts);
  }

  /** Updates the tables with `ev`; pushes the events now ready for detection to `out`. */
  process(ev: ShellEvent, out: ShellEvent[]): void {
    if (Number.isFinite(ev.time)) this.connections.release(ev.time, out as NetworkEvent[]);
    switch (ev.kind) {
      case 'process_start': this.start(ev); break;
      case 'process_end': this.tables.end(ev.host, ev.process, ev.time); break;
      case 'network':
        if (ev.observer === 'network') { this.connections.hold(ev); return; }
        this.network(ev);
        this.connections.endpoint(ev);
        break;
      case 'logon': case 'logoff': this.sessions.logon(ev); break;
      case 'task_created': case 'service_created': this.persistence.created(ev); break;
      case 'script_block': this.scripts.push(ev, out); return;
      default: break;
    }
    out.push(ev);
  }

  /** Releases what is still held (incomplete script blocks) at the end of input. */
  flush(out: ShellEvent[]): void {
    this.scripts.flush(out);
    this.connections.release(Infinity, out as NetworkEvent[]);
  }

  /**
   * Lets go of everything kept about host `h` (evicted as idle under the state budget): its processes,
   * sessions, tasks and services, endpoint connections; its open script blocks are pushed to `out`.
   * Returns the number of processes it held.
   */
  forget(h: string, out: ShellEvent[]): number {
    this.scripts.forget(h, out);
    this.sessions.forget(h);
    this.persistence.forget(h);
    this.connections.forget(h);
    return this.tables.forget(h);
  }

  private start(ev: ProcessStartEvent): void {
    const ref = this.tables.add(ev.host, ev.process, ev.parent, ev.time);
    ev.nodeId = this.tables.idOf(ref);
    const chain = this.tables.ancestors(ref);
    const parent = merge(ev.parent, chain[0]);
    ev.ancestors = [parent, ...chain.slice(1)];
    if (!parent.image && !parent.pid && !parent.guid) ev.ancestors = chain.slice(1);
    ev.parent = parent;
    const launcher = this.persistence.launcherOf(ev.host, ev.process.commandLine, ev.time);
    if (launcher) ev.launchedBy = launcher;
    const session = this.sessions.sessionOf(ev.host, ev.process);
    if (session) ev.session = session;
  }

  private network(ev: NetworkEvent): void {
    const ref = this.tables.lookup(ev.host, ev.process, ev.time);
    if (!ref) return;
    ev.process = merge(ev.process, this.tables.info(ref));
    ev.ancestors = this.tables.ancestors(ref);
  }
}
