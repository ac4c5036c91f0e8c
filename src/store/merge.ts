/**
 * The merge rules both stores apply in code (not SQL), so they behave identically: process nodes
 * reported by several sources, host counters, and triage patches.
 */
import { ALERT_STATUSES, type AlertNote, type AlertPatch, type ProcessNode, type StoredAlert } from './contract.js';
import { invalidArgument } from './errors.js';
import { keyOrNull, keyText, safeInt, safeTime, textOrNull } from './text.js';

/** A node as columns hold it: keys capped, NUL removed, bad numbers null, lists deduplicated. */
export function cleanNode(n: ProcessNode): ProcessNode {
  if (typeof n.host !== 'string' || typeof n.key !== 'string') throw invalidArgument('process host and key must be strings');
  return {
    host: keyText(n.host), key: keyText(n.key), parentKey: keyOrNull(n.parentKey), pid: safeInt(n.pid), guid: textOrNull(n.guid),
    image: textOrNull(n.image), commandLine: textOrNull(n.commandLine), user: textOrNull(n.user), startMs: safeTime(n.startMs),
    seqs: union([], (n.seqs ?? []).filter((s) => Number.isSafeInteger(s))),
    sources: union([], (n.sources ?? []).filter((s): s is string => typeof s === 'string').map(keyText)),
  };
}

/** Known values are kept; nulls are filled from the later report; the longer command line wins. */
export function mergeNode(old: ProcessNode, inc: ProcessNode): ProcessNode {
  const longer = inc.commandLine !== null && (old.commandLine === null || inc.commandLine.length > old.commandLine.length);
  return {
    host: old.host, key: old.key, parentKey: old.parentKey ?? inc.parentKey, pid: old.pid ?? inc.pid, guid: old.guid ?? inc.guid,
    image: old.image ?? inc.image, commandLine: longer ? inc.commandLine : old.commandLine, user: old.user ?? inc.user,
    startMs: old.startMs ?? inc.startMs, seqs: union(old.seqs, inc.seqs), sources: union(old.sources, inc.sources),
  };
}

function union<T>(a: T[], b: T[]): T[] {
  const seen = new Set(a);
  const out = [...a];
  for (const x of b) if (!seen.has(x)) { seen.add(x); out.push(x); }
  return out;
}

/** A node's identity inside one batch. */
export const nodeId = (n: { host: string; key: string }): string => JSON.stringify([n.host, n.key]);

export interface HostTouch { name: string; first: number | null; last: number | null; events: number; alerts: number }

/** One row per host name: counts summed, the seen range widened (PostgreSQL cannot upsert a row twice in one statement). */
export function aggregateHosts(hosts: { name: string; timeMs: number; events: number; alerts: number }[]): HostTouch[] {
  const by = new Map<string, HostTouch>();
  for (const h of hosts) {
    if (typeof h.name !== 'string') continue;
    const name = keyText(h.name);
    const t = safeTime(h.timeMs);
    const cur = by.get(name) ?? { name, first: null, last: null, events: 0, alerts: 0 };
    cur.events += safeInt(h.events) ?? 0;
    cur.alerts += safeInt(h.alerts) ?? 0;
    if (t !== null) { cur.first = cur.first === null ? t : Math.min(cur.first, t); cur.last = cur.last === null ? t : Math.max(cur.last, t); }
    by.set(name, cur);
  }
  return [...by.values()];
}

/** Only the patch's known fields, validated: this is also what the audit entry records. */
export function cleanPatch(p: AlertPatch): AlertPatch {
  const out: AlertPatch = {};
  if (p.status !== undefined) {
    if (!ALERT_STATUSES.includes(p.status)) throw invalidArgument('unknown alert status');
    out.status = p.status;
  }
  if (p.assignee !== undefined) {
    if (p.assignee !== null && typeof p.assignee !== 'string') throw invalidArgument('assignee must be a string or null');
    out.assignee = p.assignee === null ? null : keyText(p.assignee);
  }
  if (p.note !== undefined) {
    if (typeof p.note !== 'string') throw invalidArgument('note must be a string');
    if (p.note.length > 0) out.note = p.note;
  }
  return out;
}

/** The alert after the patch, or null when the patch changes nothing (no audit entry then). */
export function applyPatch(a: StoredAlert, p: AlertPatch, actor: string, nowMs: number): StoredAlert | null {
  const status = p.status ?? a.status;
  const assignee = p.assignee !== undefined ? p.assignee : a.assignee;
  const notes: AlertNote[] = p.note !== undefined ? [...a.notes, { timeMs: nowMs, actor, text: p.note }] : a.notes;
  if (status === a.status && assignee === a.assignee && notes === a.notes) return null;
  return { ...a, status, assignee, notes, updatedMs: nowMs };
}

/** updateAlerts' arguments, validated the same way by both stores: ids deduplicated in input order. */
export function triageArgs(ids: unknown, patch: AlertPatch, actor: unknown, nowMs: unknown): { ids: string[]; patch: AlertPatch; actor: string; now: number } {
  const now = safeTime(nowMs);
  if (!Array.isArray(ids) || now === null || typeof actor !== 'string') throw invalidArgument('updateAlerts needs a list of ids, an actor and a finite nowMs');
  return { ids: [...new Set(ids.filter((id): id is string => typeof id === 'string').map(keyText))], patch: cleanPatch(patch ?? {}), actor, now };
}
