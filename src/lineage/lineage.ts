/** Lineage stage: attaches the chain of ancestors to process and network events, from the tables. */
import type { NetworkEvent, ProcessInfo, ProcessStartEvent, ShellEvent } from '../core/index.js';
import { ProcessTables, type Node, type TableOptions } from './table.js';

function info(n: Node): ProcessInfo {
  const p: ProcessInfo = {};
  if (n.pid !== undefined) p.pid = n.pid;
  if (n.guid) p.guid = n.guid;
  if (n.image) p.image = n.image;
  if (n.commandLine) p.commandLine = n.commandLine;
  if (n.user) p.user = n.user;
  if (n.startMs) p.startMs = n.startMs;
  return p;
}

/** Fills gaps in what the event says about a process with what the table knows, never the reverse. */
function merge(fromEvent: ProcessInfo, known: Node | undefined): ProcessInfo {
  if (!known) return fromEvent;
  return { ...info(known), ...stripEmpty(fromEvent) };
}
function stripEmpty(p: ProcessInfo): ProcessInfo {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) if (v !== undefined && v !== '') o[k] = v;
  return o as ProcessInfo;
}

export class Lineage {
  readonly tables: ProcessTables;
  constructor(opts: TableOptions = {}) {
    this.tables = new ProcessTables(opts);
  }

  /** Updates the tables with `ev` and attaches ancestry where the event is about a process. */
  process(ev: ShellEvent): void {
    if (ev.kind === 'process_start') this.start(ev);
    else if (ev.kind === 'process_end') this.tables.end(ev.host, ev.process, ev.time);
    else if (ev.kind === 'network') this.network(ev);
  }

  private start(ev: ProcessStartEvent): void {
    const node = this.tables.add(ev.host, ev.process, ev.parent, ev.time);
    const chain = this.tables.ancestors(node);
    const parent = merge(ev.parent, chain[0]);
    ev.ancestors = [parent, ...chain.slice(1).map(info)];
    if (!parent.image && !parent.pid && !parent.guid) ev.ancestors = chain.slice(1).map(info);
    ev.parent = parent;
  }

  private network(ev: NetworkEvent): void {
    const node = this.tables.lookup(ev.host, ev.process, ev.time);
    if (!node) return;
    ev.process = merge(ev.process, node);
    ev.ancestors = this.tables.ancestors(node).map(info);
  }
}
