/**
 * Column values for events and alerts, derived the same way by both stores, and the mapping of a
 * stored row back to the contract's shapes. Column names are identical in both schemas.
 */
import { levelRank, type Level } from '../core/index.js';
import type { AlertInput, EventInput, NormalizedFields, StoredAlert, StoredEvent, AlertStatus } from './contract.js';
import { invalidArgument } from './errors.js';
import { keyOrNull, keyText, lowerKey, num, numOrNull, safeTime, stripNul, textOrNull } from './text.js';

/** The columns appendEvents writes, in the order both stores bind them. */
export type EventValues = [key: string, receivedMs: number, stream: string, sender: string | null, host: string | null, hostLc: string | null, timeMs: number | null, record: string, kind: string | null, user: string | null, commandLine: string | null];

export function eventValues(e: EventInput): EventValues {
  if (typeof e.key !== 'string' || e.key.length === 0) throw invalidArgument('event key must be a non-empty string');
  const receivedMs = safeTime(e.receivedMs);
  if (receivedMs === null) throw invalidArgument('event receivedMs must be a finite time');
  const sys = (e.record?.system ?? {}) as { computer?: unknown; timeMs?: unknown };
  const f = e.fields;
  const host = keyOrNull(f && typeof f.host === 'string' && f.host ? f.host : sys.computer);
  // JSON.stringify writes U+0000 and lone surrogates as escapes, so the raw record survives both stores exactly.
  const record = JSON.stringify(e.record);
  const timeMs = f && f.timeMs !== null ? safeTime(f.timeMs) ?? safeTime(sys.timeMs) : safeTime(sys.timeMs);
  return [keyText(e.key), receivedMs, stripNul(String(e.stream ?? '')), textOrNull(e.sender), host, host === null ? null : lowerKey(host), timeMs, record,
    f ? keyOrNull(f.kind) : null, f ? textOrNull(f.user) : null, f ? textOrNull(f.commandLine) : null];
}

export type NormalizedValues = [seq: number, kind: string, host: string, hostLc: string, timeMs: number | null, user: string | null, commandLine: string | null, normalized: string];

/** Later duplicates of a seq win, so a batch applies like the same calls made one by one. */
export function normalizedValues(fields: NormalizedFields[]): NormalizedValues[] {
  const bySeq = new Map<number, NormalizedValues>();
  for (const f of fields) {
    if (!Number.isSafeInteger(f.seq)) continue;
    const host = keyText(String(f.host ?? ''));
    bySeq.set(f.seq, [f.seq, keyText(String(f.kind ?? '')), host, lowerKey(host), safeTime(f.timeMs), textOrNull(f.user), textOrNull(f.commandLine), JSON.stringify(f.normalized ?? {})]);
  }
  return [...bySeq.values()];
}

export const EVENT_COLUMNS = 'seq, key, received_ms, stream, sender, host, time_ms, record, normalized, command_line';

export interface EventRow { seq: unknown; key: string; received_ms: unknown; stream: string; sender: string | null; host: string | null; time_ms: unknown; record: string; normalized: string | null; command_line: string | null }

export function toStoredEvent(r: EventRow): StoredEvent {
  return {
    seq: num(r.seq), key: r.key, receivedMs: num(r.received_ms), stream: r.stream, sender: r.sender, host: r.host,
    timeMs: numOrNull(r.time_ms), record: JSON.parse(r.record), normalized: r.normalized === null ? null : JSON.parse(r.normalized), commandLine: r.command_line,
  };
}

/** The columns putAlerts writes, in bind order. */
export type AlertValues = [id: string, timeMs: number, host: string, user: string | null, ruleId: string, levelRank: number, groupKey: string, commandLine: string | null, createdMs: number, alert: string];

export function alertValues(a: AlertInput): AlertValues {
  const alert = a.alert;
  if (typeof alert?.id !== 'string' || alert.id.length === 0) throw invalidArgument('alert id must be a non-empty string');
  const createdMs = safeTime(a.createdMs);
  if (createdMs === null) throw invalidArgument('alert createdMs must be a finite time');
  // An alert whose time cannot be read sorts as of when the store first saw it, rather than nowhere.
  const timeMs = safeTime(Date.parse(String(alert.time))) ?? createdMs;
  const rank = Math.max(0, levelRank(alert.rule?.level as Level));
  const user = typeof alert.user === 'string' ? lowerKey(alert.user) : null;
  return [keyText(alert.id), timeMs, lowerKey(String(alert.host ?? '')), user, keyText(String(alert.rule?.id ?? '')), rank, keyText(String(a.groupKey ?? '')), textOrNull(alert.process?.commandLine), createdMs, JSON.stringify(alert)];
}

export const ALERT_COLUMNS = 'id, group_key, status, assignee, notes, created_ms, updated_ms, time_ms, alert';

export interface AlertRow { id: string; group_key: string; status: string; assignee: string | null; notes: string; created_ms: unknown; updated_ms: unknown; time_ms: unknown; alert: string }

export function toStoredAlert(r: AlertRow): StoredAlert {
  return {
    id: r.id, alert: JSON.parse(r.alert), groupKey: r.group_key, status: r.status as AlertStatus, assignee: r.assignee,
    notes: JSON.parse(r.notes), createdMs: num(r.created_ms), updatedMs: num(r.updated_ms),
  };
}
