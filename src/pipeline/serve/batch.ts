/**
 * What one pass of detection gives the store: the alerts, the process nodes lineage built and the
 * per-host counts (an event's searchable fields were written with it: searchFields). Collected from the pipeline's sinks while it
 * runs synchronously, then written in one go (store writes are async; the pipeline is not).
 */
import type { Alert, ProcessInfo, ShellEvent } from '../../core/index.js';
import type { AlertInput, EventInput, ProcessNode } from '../../store/contract.js';

/** `g:GUID` or `p:PID:STARTMS`: a process's key within its host, the same whichever source reported it. */
export function processKey(p: ProcessInfo | undefined, fallbackStart?: number): string | null {
  if (!p) return null;
  if (p.guid) return `g:${p.guid.replace(/[{}]/g, '').toLowerCase()}`;
  if (p.pid === undefined) return null;
  const start = p.startMs ?? fallbackStart;
  return `p:${p.pid}:${Number.isFinite(start) ? start : '?'}`;
}

function sourceOf(ev: ShellEvent): string {
  const sys = ev.system;
  if (sys?.channel) return `${sys.channel}:${sys.eventId ?? ''}`;
  return ev.mapping ?? ev.format ?? 'unknown';
}

/** The searchable text of an event. */
export function textOf(ev: ShellEvent): string | null {
  switch (ev.kind) {
    case 'process_start': return ev.process.commandLine ?? null;
    case 'script_block': return ev.text.slice(0, 65_536);
    case 'task_created': case 'service_created': return ev.command ?? null;
    default: return 'process' in ev ? (ev.process?.commandLine ?? null) : null;
  }
}

/** What the store indexes of an event, written with the record itself. */
export function searchFields(ev: ShellEvent): NonNullable<EventInput['fields']> {
  return { kind: ev.kind, host: ev.host, timeMs: Number.isFinite(ev.time) ? ev.time : null, user: ev.user ?? ('process' in ev ? ev.process?.user ?? null : null), commandLine: textOf(ev) };
}

export class Batch {
  readonly alerts: { input: AlertInput; receivedMs: number }[] = [];
  readonly nodes: ProcessNode[] = [];
  readonly hosts = new Map<string, { name: string; timeMs: number; events: number; alerts: number }>();
  /** highest store seq whose event this batch covers */
  maxSeq = 0;

  constructor(private readonly receivedOf: (seq: number | undefined) => number) {}

  /** An event after lineage: its node (process starts) and its normalized fields. */
  linked(ev: ShellEvent): void {
    const seq = ev.event.seq;
    if (seq === undefined) return;
    if (seq > this.maxSeq) this.maxSeq = seq;
    this.host(ev.host, ev.time).events++;
    if (ev.kind !== 'process_start') return;
    const key = processKey(ev.process, ev.time);
    if (!key) return;
    this.nodes.push({
      host: ev.host.toLowerCase(), key, parentKey: processKey(ev.parent),
      pid: ev.process.pid ?? null, guid: ev.process.guid ?? null, image: ev.process.image ?? null,
      commandLine: ev.process.commandLine ?? null, user: ev.process.user ?? ev.user ?? null,
      startMs: Number.isFinite(ev.time) ? ev.time : null, seqs: [seq], sources: [sourceOf(ev)],
    });
  }

  alert(a: Alert & { id: string }, ev: ShellEvent | undefined): void {
    const host = a.host.toLowerCase();
    this.host(a.host, ev?.time ?? NaN).alerts++;
    this.alerts.push({ input: { alert: a, groupKey: `${a.rule.source}:${a.rule.id}|${host}`, createdMs: Date.now() }, receivedMs: this.receivedOf(ev?.event.seq) });
  }

  get empty(): boolean {
    return !this.alerts.length && !this.nodes.length && !this.hosts.size;
  }

  private host(name: string, timeMs: number) {
    const key = name.toLowerCase();
    let h = this.hosts.get(key);
    if (!h) { h = { name: key, timeMs: Number.isFinite(timeMs) ? timeMs : Date.now(), events: 0, alerts: 0 }; this.hosts.set(key, h); }
    return h;
  }
}
