/** Hosts seen, with their event and alert counts. */
import type { FastifyInstance } from 'fastify';
import type { ServeContext } from '../../pipeline/serve/context.js';
import { cursorParam, errors, limitParam, page } from '../schemas.js';

const hostSchema = {
  type: 'object',
  properties: { name: { type: 'string' }, firstSeenMs: { type: 'number' }, lastSeenMs: { type: 'number' }, events: { type: 'number' }, alerts: { type: 'number' } },
  additionalProperties: false,
} as const;

export async function hostRoutes(app: FastifyInstance, ctx: ServeContext): Promise<void> {
  app.get<{ Querystring: { limit: number; cursor?: string } }>('/api/v1/hosts', {
    config: { role: 'viewer' },
    schema: {
      tags: ['hosts'], summary: 'Hosts seen',
      querystring: { type: 'object', properties: { limit: limitParam(1000, 100), cursor: cursorParam }, additionalProperties: false },
      response: { 200: page(hostSchema), ...errors },
    },
  }, async (req) => ctx.store.listHosts(req.query.limit, req.query.cursor));
}
