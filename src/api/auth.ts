/**
 * Authentication and authorization. Credentials come as `Authorization: Bearer TOKEN`, or as what
 * Elasticsearch clients send: `ApiKey base64(id:key)` (Beats/Logstash `api_key`) and `Basic
 * base64(user:token)` (rsyslog, Fluent Bit, Vector). The SSE stream alone also takes `?token=`.
 * Tokens are looked up by their sha256, so no comparison of secret bytes happens here.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role, Store } from '../pipeline/serve/context.js';
import { ApiError } from './errors.js';
import { hashToken } from './tokens.js';
import type { Principal, RouteRole } from './types.js';

/** viewer < analyst < responder < admin; ingest stands outside the order (it may only ship events). */
const RANK: Record<Role, number> = { ingest: -1, viewer: 0, analyst: 1, responder: 2, admin: 3 };

export function allowed(have: Role, need: RouteRole): boolean {
  if (need === 'public' || have === 'admin') return true;
  if (need === 'ingest') return have === 'ingest';
  return have !== 'ingest' && RANK[have] >= RANK[need];
}

/** Longest credential considered: anything longer is not one of ours and is not hashed. */
const MAX_CREDENTIAL = 512;

/** The candidate tokens a request carries, most likely first (an ApiKey may be `id:key` or the key). */
export function candidates(req: FastifyRequest): string[] {
  const h = req.headers.authorization;
  if (typeof h === 'string' && h.length <= MAX_CREDENTIAL) {
    const m = /^(\S+)\s+(\S+)$/.exec(h.trim());
    if (!m) return [];
    const scheme = m[1].toLowerCase();
    if (scheme === 'bearer') return [m[2]];
    const decoded = Buffer.from(m[2], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (scheme === 'basic') return colon >= 0 ? [decoded.slice(colon + 1)] : [];
    if (scheme === 'apikey') {
      const out = colon >= 0 ? [decoded.slice(colon + 1), decoded] : [decoded];
      if (m[2].startsWith('swt_')) out.unshift(m[2]); // the token itself, not base64-encoded
      return out;
    }
    return [];
  }
  const q = (req.query as Record<string, unknown> | undefined)?.token;
  if (req.routeOptions.config?.queryToken && typeof q === 'string' && q.length <= MAX_CREDENTIAL) return [q];
  return [];
}

export interface Authenticator {
  /** resolves the request's principal (null when it carries no valid credential); never replies */
  authenticate(req: FastifyRequest): Promise<Principal | null>;
  /** throws 401/403 unless the principal may use the route */
  authorize(req: FastifyRequest, reply: FastifyReply): void;
}

const TOUCH_EVERY_MS = 60_000;

export function authenticator(store: Store): Authenticator {
  const touched = new Map<string, number>();
  const touch = (id: string): void => {
    const now = Date.now();
    if ((touched.get(id) ?? 0) > now - TOUCH_EVERY_MS) return;
    touched.set(id, now);
    // bookkeeping only: a failed write must not fail the request
    store.touchToken(id, now).catch(() => undefined);
  };
  return {
    async authenticate(req) {
      for (const c of candidates(req)) {
        if (!c) continue;
        const t = await store.findToken(hashToken(c));
        if (t && t.revokedMs === null) {
          touch(t.id);
          return { token: t, name: t.name, role: t.role };
        }
      }
      return null;
    },
    authorize(req) {
      const need = req.routeOptions.config?.role ?? 'admin';
      if (need === 'public') return;
      const p = req.principal;
      if (!p) throw new ApiError(401, 'SW6005', 'authentication required: send Authorization: Bearer TOKEN');
      if (!allowed(p.role, need)) throw new ApiError(403, 'SW6006', `role ${p.role} may not use this route (needs ${need})`);
    },
  };
}

/** The token name a write is audited under. */
export function actorOf(req: FastifyRequest): string {
  return req.principal?.name ?? 'anonymous';
}
