/** Turns a detector's finding on an event into the stable Alert shape. */
import { alertProcess, alertSession, isoTime, type Alert, type Detector, type Finding, type ProcessInfo, type ShellEvent } from '../core/index.js';

function processesOf(ev: ShellEvent): { process?: ProcessInfo; parent?: ProcessInfo; ancestors: ProcessInfo[] } {
  switch (ev.kind) {
    case 'process_start':
      return { process: ev.process, parent: ev.parent, ancestors: ev.ancestors ?? (ev.parent ? [ev.parent] : []) };
    case 'network':
      return { process: ev.process, parent: ev.ancestors?.[0], ancestors: ev.ancestors ?? [] };
    case 'logon':
    case 'logoff':
    case 'other':
      return { ancestors: [] };
    default:
      return { process: ev.process, ancestors: [] };
  }
}

/** What the pipeline itself knows beyond the rule's own evidence: the connection's flow, the fragments of a script. */
function contextEvidence(ev: ShellEvent): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (ev.kind === 'network') {
    const n: Record<string, unknown> = { observer: ev.observer ?? null, protocol: ev.protocol ?? null, src: ev.srcIp ? `${ev.srcIp}:${ev.srcPort ?? ''}` : null, dst: ev.dstIp ? `${ev.dstIp}:${ev.dstPort ?? ''}` : null };
    for (const k of ['sensor', 'connectionId', 'service', 'state', 'durationMs', 'bytesOut', 'bytesIn', 'packetsOut', 'packetsIn'] as const) if (ev[k] !== undefined) n[k] = ev[k];
    o.network = n;
  }
  if (ev.kind === 'script_block' && ev.fragments) {
    o.fragments = ev.fragments;
    if (ev.incomplete) o.incomplete = true;
  }
  return o;
}

/** Builds the alert for `finding` raised by `det` on `ev`. */
export function toAlert(det: Detector, ev: ShellEvent, f: Finding, source: 'builtin' | 'sigma' = 'builtin'): Alert {
  const { process, parent, ancestors } = processesOf(ev);
  return {
    rule: { id: det.id, title: det.title, level: f.level ?? det.level, source, techniques: [...det.techniques] },
    time: isoTime(ev.time),
    host: ev.host,
    user: ev.user ?? process?.user ?? null,
    process: alertProcess(process),
    parent: alertProcess(parent),
    ancestors: ancestors.map((a) => ({ pid: a.pid ?? null, image: a.image ?? null, commandLine: a.commandLine ?? null })),
    session: alertSession(ev.kind === 'process_start' ? ev.session : undefined),
    baseline: null,
    reason: f.reason,
    decoded: f.decoded ?? [],
    event: ev.event,
    evidence: { ...(f.evidence ?? {}), ...contextEvidence(ev) },
  };
}
