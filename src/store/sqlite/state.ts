/** SQLite process nodes, hosts, positions, snapshots and tokens: small upserts, merged in code. */
import type { HostInfo, Page, ProcessNode, TokenRecord } from '../contract.js';
import { clampLimit, decodeNameCursor, encodeCursor, pageOf } from '../cursor.js';
import { invalidArgument } from '../errors.js';
import { aggregateHosts, cleanNode, mergeNode } from '../merge.js';
import { keyText, safeTime, stripNul } from '../text.js';
import type { Sql } from './db.js';
import { HOST_COLUMNS, NODE_COLUMNS, TOKEN_COLUMNS, nodeValues, toHost, toNode, toToken, tokenValues, type HostRow, type NodeRow, type TokenRow } from '../state-rows.js';

function readNode(q: Sql, host: string, key: string): ProcessNode | null {
  const r = q.prep(`SELECT ${NODE_COLUMNS} FROM processes WHERE host = ? AND key = ?`).get(host, key) as NodeRow | undefined;
  return r ? toNode(r) : null;
}

export function putProcesses(q: Sql, nodes: ProcessNode[]): void {
  const clean = nodes.map(cleanNode);
  const upsert = q.prep(`INSERT INTO processes (${NODE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (host, key) DO UPDATE SET parent_key = excluded.parent_key, pid = excluded.pid, guid = excluded.guid, image = excluded.image,
    command_line = excluded.command_line, user_name = excluded.user_name, start_ms = excluded.start_ms, seqs = excluded.seqs, sources = excluded.sources`);
  q.tx(() => {
    for (const n of clean) {
      const old = readNode(q, n.host, n.key);
      upsert.run(...nodeValues(old ? mergeNode(old, n) : n));
    }
  });
}

export function getProcess(q: Sql, host: string, key: string): ProcessNode | null {
  return typeof host === 'string' && typeof key === 'string' ? readNode(q, keyText(host), keyText(key)) : null;
}

export function childrenOf(q: Sql, host: string, key: string, limit: number): ProcessNode[] {
  if (typeof host !== 'string' || typeof key !== 'string') return [];
  const rows = q.prep(`SELECT ${NODE_COLUMNS} FROM processes WHERE host = ? AND parent_key = ? ORDER BY start_ms ASC NULLS LAST, key ASC LIMIT ?`)
    .all(keyText(host), keyText(key), clampLimit(limit)) as NodeRow[];
  return rows.map(toNode);
}

export function touchHosts(q: Sql, hosts: { name: string; timeMs: number; events: number; alerts: number }[]): void {
  // SQLite's two-argument min()/max() return NULL when either side is NULL, hence the coalesces.
  const upsert = q.prep(`INSERT INTO hosts (name, first_seen_ms, last_seen_ms, events, alerts) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (name) DO UPDATE SET first_seen_ms = min(coalesce(first_seen_ms, excluded.first_seen_ms), coalesce(excluded.first_seen_ms, first_seen_ms)),
    last_seen_ms = max(coalesce(last_seen_ms, excluded.last_seen_ms), coalesce(excluded.last_seen_ms, last_seen_ms)),
    events = events + excluded.events, alerts = alerts + excluded.alerts`);
  const rows = aggregateHosts(hosts);
  q.tx(() => {
    for (const h of rows) upsert.run(h.name, h.first, h.last, h.events, h.alerts);
  });
}

export function listHosts(q: Sql, limit: number, cursor?: string): Page<HostInfo> {
  const n = clampLimit(limit);
  const rows = (cursor === undefined
    ? q.prep(`SELECT ${HOST_COLUMNS} FROM hosts ORDER BY name LIMIT ?`).all(n + 1)
    : q.prep(`SELECT ${HOST_COLUMNS} FROM hosts WHERE name > ? ORDER BY name LIMIT ?`).all(decodeNameCursor(cursor), n + 1)) as HostRow[];
  return pageOf(rows.map(toHost), n, (last) => encodeCursor('h', [last.name]));
}

export function getPosition(q: Sql, name: string): string | null {
  return (q.prep('SELECT value FROM positions WHERE name = ?').pluck().get(keyText(String(name))) as string | undefined) ?? null;
}

export function setPosition(q: Sql, name: string, value: string): void {
  if (typeof value !== 'string') throw invalidArgument('position value must be a string');
  q.tx(() => q.prep('INSERT INTO positions (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(keyText(String(name)), stripNul(value)));
}

export function putSnapshot(q: Sql, name: string, seq: number, data: Buffer): void {
  if (!Number.isSafeInteger(seq) || !Buffer.isBuffer(data)) throw invalidArgument('snapshot needs an integer seq and a Buffer');
  q.tx(() => q.prep('INSERT INTO snapshots (name, seq, data) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, data = excluded.data')
    .run(keyText(String(name)), seq, data));
}

export function getSnapshot(q: Sql, name: string): { seq: number; data: Buffer } | null {
  const r = q.prep('SELECT seq, data FROM snapshots WHERE name = ?').get(keyText(String(name))) as { seq: number; data: Buffer } | undefined;
  return r ? { seq: r.seq, data: r.data } : null;
}

export function createToken(q: Sql, t: TokenRecord): void {
  const values = tokenValues(t);
  q.tx(() => q.prep(`INSERT INTO tokens (${TOKEN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(...values));
}

export function findToken(q: Sql, hash: string): TokenRecord | null {
  const r = q.prep(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE hash = ? AND revoked_ms IS NULL`).get(keyText(String(hash))) as TokenRow | undefined;
  return r ? toToken(r) : null;
}

export function listTokens(q: Sql): TokenRecord[] {
  return (q.prep(`SELECT ${TOKEN_COLUMNS} FROM tokens ORDER BY created_ms, id`).all() as TokenRow[]).map(toToken);
}

export function revokeToken(q: Sql, id: string, nowMs: number): boolean {
  const now = safeTime(nowMs);
  if (now === null) throw invalidArgument('nowMs must be a finite time');
  return q.tx(() => q.prep('UPDATE tokens SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL').run(now, keyText(String(id))).changes > 0);
}

export function touchToken(q: Sql, id: string, nowMs: number): void {
  const now = safeTime(nowMs);
  if (now === null) throw invalidArgument('nowMs must be a finite time');
  q.tx(() => q.prep('UPDATE tokens SET last_used_ms = ? WHERE id = ?').run(now, keyText(String(id))));
}
