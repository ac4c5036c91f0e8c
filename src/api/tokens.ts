/**
 * API tokens: `swt_` + 32 random bytes (base64url). Only the sha256 of a token is stored, so a copy of
 * the store (a backup, a stolen disk) does not hand out working credentials; a lookup by hash also makes
 * the comparison independent of how much of a guessed token is right.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Role, Store, TokenRecord } from '../pipeline/serve/context.js';
import { ROLES } from '../pipeline/serve/context.js';

export const TOKEN_PREFIX = 'swt_';

export function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface CreateTokenOptions {
  name: string;
  role: Role;
  /** who asked for it, for the audit log (default `cli:` + the name) */
  actor?: string;
  nowMs?: number;
}

/** Creates a token, stores its hash and audits the creation; the raw token is returned once, never kept. */
export async function createToken(store: Store, opts: CreateTokenOptions): Promise<{ token: string; record: TokenRecord }> {
  if (!ROLES.includes(opts.role)) throw new Error(`unknown role ${JSON.stringify(opts.role)} (${ROLES.join(', ')})`);
  if (!/^[\w.@:-]{1,64}$/.test(opts.name)) throw new Error('token name: 1-64 letters, digits, or . _ @ : -');
  const token = newToken();
  const nowMs = opts.nowMs ?? Date.now();
  const record: TokenRecord = { id: randomUUID(), name: opts.name, role: opts.role, hash: hashToken(token), createdMs: nowMs, revokedMs: null, lastUsedMs: null };
  await store.createToken(record);
  await store.audit({ timeMs: nowMs, actor: opts.actor ?? `cli:${opts.name}`, action: 'token.create', target: record.id, details: { name: record.name, role: record.role } });
  return { token, record };
}
