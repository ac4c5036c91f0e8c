/** Row shapes of processes, hosts and tokens, shared by both stores (PostgreSQL bigints arrive as strings). */
import { ROLES, type HostInfo, type ProcessNode, type Role, type TokenRecord } from './contract.js';
import { invalidArgument } from './errors.js';
import { keyText, num, numOrNull, safeTime, stripNul } from './text.js';

export interface NodeRow {
  host: string; key: string; parent_key: string | null; pid: unknown; guid: string | null; image: string | null;
  command_line: string | null; user_name: string | null; start_ms: unknown; seqs: string; sources: string;
}

export const NODE_COLUMNS = 'host, key, parent_key, pid, guid, image, command_line, user_name, start_ms, seqs, sources';

export function toNode(r: NodeRow): ProcessNode {
  return {
    host: r.host, key: r.key, parentKey: r.parent_key, pid: numOrNull(r.pid), guid: r.guid, image: r.image, commandLine: r.command_line,
    user: r.user_name, startMs: numOrNull(r.start_ms), seqs: JSON.parse(r.seqs), sources: JSON.parse(r.sources),
  };
}

/** Bind values in NODE_COLUMNS order. */
export type NodeValues = [string, string, string | null, number | null, string | null, string | null, string | null, string | null, number | null, string, string];

export function nodeValues(n: ProcessNode): NodeValues {
  return [n.host, n.key, n.parentKey, n.pid, n.guid, n.image, n.commandLine, n.user, n.startMs, JSON.stringify(n.seqs), JSON.stringify(n.sources)];
}

export interface HostRow { name: string; first_seen_ms: unknown; last_seen_ms: unknown; events: unknown; alerts: unknown }

export const HOST_COLUMNS = 'name, first_seen_ms, last_seen_ms, events, alerts';

/** A host only ever touched with unusable times has no seen range: it reads as 0. */
export function toHost(r: HostRow): HostInfo {
  return { name: r.name, firstSeenMs: numOrNull(r.first_seen_ms) ?? 0, lastSeenMs: numOrNull(r.last_seen_ms) ?? 0, events: num(r.events), alerts: num(r.alerts) };
}

export interface TokenRow { id: string; name: string; role: string; hash: string; created_ms: unknown; revoked_ms: unknown; last_used_ms: unknown }

export const TOKEN_COLUMNS = 'id, name, role, hash, created_ms, revoked_ms, last_used_ms';

export function toToken(r: TokenRow): TokenRecord {
  return { id: r.id, name: r.name, role: r.role as Role, hash: r.hash, createdMs: num(r.created_ms), revokedMs: numOrNull(r.revoked_ms), lastUsedMs: numOrNull(r.last_used_ms) };
}

/** Bind values in TOKEN_COLUMNS order, validated (role, times) the same way by both stores. */
export function tokenValues(t: TokenRecord): [string, string, string, string, number, number | null, number | null] {
  if (!ROLES.includes(t.role)) throw invalidArgument('unknown role');
  const created = safeTime(t.createdMs);
  if (created === null || typeof t.id !== 'string' || typeof t.hash !== 'string') throw invalidArgument('token needs an id, a hash and a finite createdMs');
  return [keyText(t.id), stripNul(String(t.name)), t.role, keyText(t.hash), created, safeTime(t.revokedMs), safeTime(t.lastUsedMs)];
}
