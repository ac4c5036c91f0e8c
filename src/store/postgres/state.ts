/** PostgreSQL process nodes, hosts, positions, snapshots and tokens. */
import type pg from 'pg';
import type { HostInfo, Page, ProcessNode, TokenRecord } from '../contract.js';
import { clampLimit, decodeNameCursor, encodeCursor, pageOf } from '../cursor.js';
import { invalidArgument } from '../errors.js';
import { aggregateHosts, cleanNode, mergeNode, nodeId } from '../merge.js';
import { HOST_COLUMNS, NODE_COLUMNS, TOKEN_COLUMNS, nodeValues, toHost, toNode, toToken, tokenValues, type HostRow, type NodeRow, type TokenRow } from '../state-rows.js';
import { keyText, safeTime, stripNul } from '../text.js';
import { columnsOf, lockRow, withTx } from './pool.js';

const UPSERT_NODES = `INSERT INTO processes (${NODE_COLUMNS})
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[], $10::text[], $11::text[])
  ON CONFLICT (host, key) DO UPDATE SET parent_key = EXCLUDED.parent_key, pid = EXCLUDED.pid, guid = EXCLUDED.guid, image = EXCLUDED.image,
    command_line = EXCLUDED.command_line, user_name = EXCLUDED.user_name, start_ms = EXCLUDED.start_ms, seqs = EXCLUDED.seqs, sources = EXCLUDED.sources`;

/**
 * Merged in code under the `processes` lock row: read what is stored, merge the batch into it (a
 * batch may report one node twice), write each node once. The lock keeps a concurrent batch from
 * merging against a row this one is about to replace.
 */
export async function putProcesses(pool: pg.Pool, nodes: ProcessNode[]): Promise<void> {
  const clean = nodes.map(cleanNode);
  if (clean.length === 0) return;
  await withTx(pool, async (c) => {
    await lockRow(c, 'processes');
    const old = await c.query<NodeRow>(`SELECT ${NODE_COLUMNS} FROM processes WHERE (host, key) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [clean.map((n) => n.host), clean.map((n) => n.key)]);
    const merged = new Map(old.rows.map((r) => { const n = toNode(r); return [nodeId(n), n]; }));
    const touched = new Map<string, ProcessNode>();
    for (const n of clean) {
      const id = nodeId(n);
      const prev = touched.get(id) ?? merged.get(id);
      touched.set(id, prev ? mergeNode(prev, n) : n);
    }
    await c.query({ name: 'sw_nodes_upsert', text: UPSERT_NODES, values: columnsOf([...touched.values()].map(nodeValues), 11) });
  });
}

export async function getProcess(pool: pg.Pool, host: string, key: string): Promise<ProcessNode | null> {
  if (typeof host !== 'string' || typeof key !== 'string') return null;
  const r = await pool.query<NodeRow>(`SELECT ${NODE_COLUMNS} FROM processes WHERE host = $1 AND key = $2`, [keyText(host), keyText(key)]);
  return r.rows[0] ? toNode(r.rows[0]) : null;
}

export async function childrenOf(pool: pg.Pool, host: string, key: string, limit: number): Promise<ProcessNode[]> {
  if (typeof host !== 'string' || typeof key !== 'string') return [];
  const r = await pool.query<NodeRow>(`SELECT ${NODE_COLUMNS} FROM processes WHERE host = $1 AND parent_key = $2 ORDER BY start_ms ASC NULLS LAST, key ASC LIMIT $3`,
    [keyText(host), keyText(key), clampLimit(limit)]);
  return r.rows.map(toNode);
}

const TOUCH_HOSTS = `INSERT INTO hosts (${HOST_COLUMNS})
  SELECT name, f, l, e, a FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[]) WITH ORDINALITY AS t(name, f, l, e, a, ord)
  ORDER BY ord
  ON CONFLICT (name) DO UPDATE SET first_seen_ms = LEAST(hosts.first_seen_ms, EXCLUDED.first_seen_ms),
    last_seen_ms = GREATEST(hosts.last_seen_ms, EXCLUDED.last_seen_ms), events = hosts.events + EXCLUDED.events, alerts = hosts.alerts + EXCLUDED.alerts`;

export async function touchHosts(pool: pg.Pool, hosts: { name: string; timeMs: number; events: number; alerts: number }[]): Promise<void> {
  // upserted in name order, so overlapping concurrent batches lock rows in the same order (no deadlock)
  const rows = aggregateHosts(hosts).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((h) => [h.name, h.first, h.last, h.events, h.alerts]);
  if (rows.length) await pool.query({ name: 'sw_hosts_touch', text: TOUCH_HOSTS, values: columnsOf(rows, 5) });
}

export async function listHosts(pool: pg.Pool, limit: number, cursor?: string): Promise<Page<HostInfo>> {
  const n = clampLimit(limit);
  const r = cursor === undefined
    ? await pool.query<HostRow>(`SELECT ${HOST_COLUMNS} FROM hosts ORDER BY name LIMIT $1`, [n + 1])
    : await pool.query<HostRow>(`SELECT ${HOST_COLUMNS} FROM hosts WHERE name > $1 ORDER BY name LIMIT $2`, [decodeNameCursor(cursor), n + 1]);
  return pageOf(r.rows.map(toHost), n, (last) => encodeCursor('h', [last.name]));
}

export async function getPosition(pool: pg.Pool, name: string): Promise<string | null> {
  const r = await pool.query<{ value: string }>('SELECT value FROM positions WHERE name = $1', [keyText(String(name))]);
  return r.rows[0]?.value ?? null;
}

export async function setPosition(pool: pg.Pool, name: string, value: string): Promise<void> {
  if (typeof value !== 'string') throw invalidArgument('position value must be a string');
  await pool.query({ name: 'sw_position_set', text: 'INSERT INTO positions (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value', values: [keyText(String(name)), stripNul(value)] });
}

export async function putSnapshot(pool: pg.Pool, name: string, seq: number, data: Buffer): Promise<void> {
  if (!Number.isSafeInteger(seq) || !Buffer.isBuffer(data)) throw invalidArgument('snapshot needs an integer seq and a Buffer');
  await pool.query('INSERT INTO snapshots (name, seq, data) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data', [keyText(String(name)), seq, data]);
}

export async function getSnapshot(pool: pg.Pool, name: string): Promise<{ seq: number; data: Buffer } | null> {
  const r = await pool.query<{ seq: string; data: Buffer }>('SELECT seq, data FROM snapshots WHERE name = $1', [keyText(String(name))]);
  return r.rows[0] ? { seq: Number(r.rows[0].seq), data: r.rows[0].data } : null;
}

export async function createToken(pool: pg.Pool, t: TokenRecord): Promise<void> {
  await pool.query(`INSERT INTO tokens (${TOKEN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`, tokenValues(t));
}

export async function findToken(pool: pg.Pool, hash: string): Promise<TokenRecord | null> {
  const r = await pool.query<TokenRow>({ name: 'sw_token_find', text: `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE hash = $1 AND revoked_ms IS NULL`, values: [keyText(String(hash))] });
  return r.rows[0] ? toToken(r.rows[0]) : null;
}

export async function listTokens(pool: pg.Pool): Promise<TokenRecord[]> {
  return (await pool.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM tokens ORDER BY created_ms, id`)).rows.map(toToken);
}

function nowArg(nowMs: number): number {
  const now = safeTime(nowMs);
  if (now === null) throw invalidArgument('nowMs must be a finite time');
  return now;
}

export async function revokeToken(pool: pg.Pool, id: string, nowMs: number): Promise<boolean> {
  const r = await pool.query('UPDATE tokens SET revoked_ms = $1 WHERE id = $2 AND revoked_ms IS NULL', [nowArg(nowMs), keyText(String(id))]);
  return (r.rowCount ?? 0) > 0;
}

export async function touchToken(pool: pg.Pool, id: string, nowMs: number): Promise<void> {
  await pool.query({ name: 'sw_token_touch', text: 'UPDATE tokens SET last_used_ms = $1 WHERE id = $2', values: [nowArg(nowMs), keyText(String(id))] });
}
