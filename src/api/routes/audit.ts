/** The audit log (admin): newest first, and a re-computation of its hash chain. */
import type { FastifyInstance } from 'fastify';
import type { ServeContext } from '../../pipeline/serve/context.js';
import { cursorParam, errors, limitParam, openObject, page } from '../schemas.js';

const entrySchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' }, timeMs: { type: 'number' }, actor: { type: 'string' }, action: { type: 'string' },
    target: { type: ['string', 'null'] }, details: openObject, prevHash: { type: 'string' }, hash: { type: 'string' },
  },
  additionalProperties: false,
} as const;

export async function auditRoutes(app: FastifyInstance, ctx: ServeContext): Promise<void> {
  app.get<{ Querystring: { limit: number; cursor?: string } }>('/api/v1/audit', {
    config: { role: 'admin' },
    schema: {
      tags: ['admin'], summary: 'Audit log, newest first',
      querystring: { type: 'object', properties: { limit: limitParam(1000, 100), cursor: cursorParam }, additionalProperties: false },
      response: { 200: page(entrySchema), ...errors },
    },
  }, async (req) => ctx.store.listAudit(req.query.limit, req.query.cursor));

  app.get('/api/v1/audit/verify', {
    config: { role: 'admin' },
    schema: {
      tags: ['admin'], summary: 'Re-compute the audit hash chain',
      response: { 200: { type: 'object', properties: { intact: { type: 'boolean' }, firstBadId: { type: ['integer', 'null'] } }, additionalProperties: false }, ...errors },
    },
  }, async () => {
    const bad = await ctx.store.verifyAudit();
    return { intact: bad === null, firstBadId: bad };
  });
}
