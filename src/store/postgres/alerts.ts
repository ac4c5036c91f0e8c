/** PostgreSQL alerts: idempotent multi-row inserts, keyset listing, triage updates audited in the same transaction. */
import type pg from 'pg';
import type { AlertFilter, AlertInput, AlertPatch, AuditEntry, Page, StoredAlert } from '../contract.js';
import { clampLimit, encodeCursor, pageOf } from '../cursor.js';
import { applyPatch, triageArgs } from '../merge.js';
import { Params, alertAfter, alertConditions, whereSql } from '../query.js';
import { ALERT_COLUMNS, alertValues, toStoredAlert, type AlertRow } from '../rows.js';
import { keyText } from '../text.js';
import { appendAuditIn } from './audit.js';
import { trigramMatch } from './events.js';
import { columnsOf, withTx } from './pool.js';

const INSERT = `INSERT INTO alerts (id, time_ms, host, user_name, rule_id, level_rank, group_key, command_line, created_ms, alert, status, assignee, notes, updated_ms)
  SELECT id, time_ms, host, user_name, rule_id, level_rank, group_key, command_line, created_ms, alert, 'new', NULL, '[]', created_ms
  FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[], $9::bigint[], $10::text[])
    WITH ORDINALITY AS t(id, time_ms, host, user_name, rule_id, level_rank, group_key, command_line, created_ms, alert, ord)
  ORDER BY ord
  ON CONFLICT (id) DO NOTHING RETURNING id`;

export async function putAlerts(pool: pg.Pool, alerts: AlertInput[]): Promise<string[]> {
  const rows = alerts.map(alertValues);
  if (rows.length === 0) return [];
  // inserted in id order: two batches holding the same new ids in different orders cannot deadlock
  const sorted = [...rows].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const r = await pool.query<{ id: string }>({ name: 'sw_alerts_put', text: INSERT, values: columnsOf(sorted, 10) });
  const fresh = new Set(r.rows.map((x) => x.id));
  // input order, each new id once (a batch may repeat an id)
  return rows.map((x) => x[0]).filter((id) => fresh.delete(id));
}

export async function getAlert(pool: pg.Pool, id: string): Promise<StoredAlert | null> {
  if (typeof id !== 'string') return null;
  const r = await pool.query<AlertRow>({ name: 'sw_alerts_get', text: `SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = $1`, values: [keyText(id)] });
  return r.rows[0] ? toStoredAlert(r.rows[0]) : null;
}

export async function listAlerts(pool: pg.Pool, filter: AlertFilter, limit: number, cursor?: string): Promise<Page<StoredAlert>> {
  const n = clampLimit(limit);
  const p = new Params('postgres');
  const w = alertConditions(filter, p, trigramMatch);
  if (cursor !== undefined) w.push(alertAfter(cursor, p));
  const r = await pool.query<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM alerts ${whereSql(w)} ORDER BY time_ms DESC, id ASC LIMIT ${p.add(n + 1)}`, p.values);
  const page = pageOf(r.rows, n, (last) => encodeCursor('a', [Number(last.time_ms), last.id]));
  return { items: page.items.map(toStoredAlert), next: page.next };
}

export async function countAlerts(pool: pg.Pool, filter: AlertFilter): Promise<number> {
  const p = new Params('postgres');
  const r = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM alerts ${whereSql(alertConditions(filter, p, trigramMatch))}`, p.values);
  return Number(r.rows[0].n);
}

const UPDATE = 'UPDATE alerts SET status = $1, assignee = $2, notes = $3, updated_ms = $4 WHERE id = $5';

/** Only alerts the patch changes are written, audited and returned; all in one transaction. */
export async function updateAlerts(pool: pg.Pool, ids: string[], patch: AlertPatch, actor: string, nowMs: number): Promise<StoredAlert[]> {
  const a = triageArgs(ids, patch, actor, nowMs);
  if (a.ids.length === 0) return [];
  return withTx(pool, async (c) => {
    // rows locked in id order: two overlapping updates cannot deadlock
    const r = await c.query<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`, [a.ids]);
    const byId = new Map(r.rows.map((row) => [row.id, toStoredAlert(row)]));
    const out: StoredAlert[] = [];
    const entries: AuditEntry[] = [];
    for (const id of a.ids) {
      const cur = byId.get(id);
      const next = cur && applyPatch(cur, a.patch, a.actor, a.now);
      if (!next) continue;
      await c.query({ name: 'sw_alerts_update', text: UPDATE, values: [next.status, next.assignee, JSON.stringify(next.notes), a.now, id] });
      entries.push({ timeMs: a.now, actor: a.actor, action: 'alert.update', target: id, details: { ...a.patch } });
      out.push(next);
    }
    await appendAuditIn(c, entries);
    return out;
  });
}
