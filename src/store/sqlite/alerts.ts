/** SQLite alerts: idempotent inserts, keyset listing, and triage updates audited in the same transaction. */
import type { AlertFilter, AlertInput, AlertPatch, Page, StoredAlert } from '../contract.js';
import { clampLimit, encodeCursor, pageOf } from '../cursor.js';
import { applyPatch, triageArgs } from '../merge.js';
import { Params, alertAfter, alertConditions, whereSql } from '../query.js';
import { ALERT_COLUMNS, alertValues, toStoredAlert, type AlertRow } from '../rows.js';
import { keyText } from '../text.js';
import { appendAudit } from './audit.js';
import type { Sql } from './db.js';
import { ftsMatch } from './events.js';

const INSERT = `INSERT INTO alerts (id, time_ms, host, user_name, rule_id, level_rank, group_key, command_line, created_ms, alert, status, assignee, notes, updated_ms)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', NULL, '[]', ?) ON CONFLICT (id) DO NOTHING`;

export function putAlerts(q: Sql, alerts: AlertInput[]): string[] {
  const rows = alerts.map(alertValues);
  const insert = q.prep(INSERT);
  return q.tx(() => {
    const fresh: string[] = [];
    for (const r of rows) if (insert.run(...r, r[8]).changes > 0) fresh.push(r[0]);
    return fresh;
  });
}

function getRow(q: Sql, id: string): StoredAlert | null {
  const r = q.prep(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = ?`).get(id) as AlertRow | undefined;
  return r ? toStoredAlert(r) : null;
}

export function getAlert(q: Sql, id: string): StoredAlert | null {
  return typeof id === 'string' ? getRow(q, keyText(id)) : null;
}

const alertText = ftsMatch('alerts', 'n');

export function listAlerts(q: Sql, filter: AlertFilter, limit: number, cursor?: string): Page<StoredAlert> {
  const n = clampLimit(limit);
  const p = new Params('sqlite');
  const w = alertConditions(filter, p, alertText);
  if (cursor !== undefined) w.push(alertAfter(cursor, p));
  const sql = `SELECT ${ALERT_COLUMNS} FROM alerts ${whereSql(w)} ORDER BY time_ms DESC, id ASC LIMIT ${p.add(n + 1)}`;
  const rows = q.prep(sql).all(...p.values) as AlertRow[];
  const page = pageOf(rows, n, (last) => encodeCursor('a', [Number(last.time_ms), last.id]));
  return { items: page.items.map(toStoredAlert), next: page.next };
}

export function countAlerts(q: Sql, filter: AlertFilter): number {
  const p = new Params('sqlite');
  const w = alertConditions(filter, p, alertText);
  return q.prep(`SELECT count(*) FROM alerts ${whereSql(w)}`).pluck().get(...p.values) as number;
}

const UPDATE = 'UPDATE alerts SET status = ?, assignee = ?, notes = ?, updated_ms = ? WHERE id = ?';

/** Only alerts the patch changes are written, audited and returned. */
export function updateAlerts(q: Sql, ids: string[], patch: AlertPatch, actor: string, nowMs: number): StoredAlert[] {
  const a = triageArgs(ids, patch, actor, nowMs);
  return q.tx(() => {
    const out: StoredAlert[] = [];
    for (const id of a.ids) {
      const cur = getRow(q, id);
      const next = cur && applyPatch(cur, a.patch, a.actor, a.now);
      if (!next) continue;
      q.prep(UPDATE).run(next.status, next.assignee, JSON.stringify(next.notes), a.now, id);
      appendAudit(q, { timeMs: a.now, actor: a.actor, action: 'alert.update', target: id, details: { ...a.patch } });
      out.push(next);
    }
    return out;
  });
}
