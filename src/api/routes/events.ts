/** Event search (newest first, cursor-paged) and one event by its store sequence number. */
import type { FastifyInstance } from 'fastify';
import type { EventFilter, ServeContext } from '../../pipeline/serve/context.js';
import { notFound } from '../errors.js';
import { cursorParam, errors, eventSchema, limitParam, page, parseTime, timeParam } from '../schemas.js';

const short = { type: 'string', minLength: 1, maxLength: 256 } as const;
const searchQuery = {
  type: 'object',
  properties: {
    from: timeParam, to: timeParam, host: short, kind: { type: 'string', minLength: 1, maxLength: 64 },
    q: { type: 'string', minLength: 1, maxLength: 1000 }, limit: limitParam(1000, 100), cursor: cursorParam,
  },
  additionalProperties: false,
} as const;
type SearchQuery = { from?: string; to?: string; host?: string; kind?: string; q?: string; limit: number; cursor?: string };

export async function eventRoutes(app: FastifyInstance, ctx: ServeContext): Promise<void> {
  app.get<{ Querystring: SearchQuery }>('/api/v1/events', {
    config: { role: 'viewer' },
    schema: { tags: ['events'], summary: 'Search stored events, newest first', querystring: searchQuery, response: { 200: page(eventSchema), ...errors } },
  }, async (req) => {
    const q = req.query;
    const f: EventFilter = { fromMs: parseTime(q.from, 'from'), toMs: parseTime(q.to, 'to'), host: q.host, kind: q.kind, text: q.q };
    for (const k of Object.keys(f) as (keyof EventFilter)[]) if (f[k] === undefined) delete f[k];
    return ctx.store.searchEvents(f, q.limit, q.cursor);
  });

  app.get<{ Params: { seq: number } }>('/api/v1/events/:seq', {
    config: { role: 'viewer' },
    schema: {
      tags: ['events'], summary: 'One stored event',
      params: { type: 'object', properties: { seq: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } }, required: ['seq'], additionalProperties: false },
      response: { 200: eventSchema, ...errors },
    },
  }, async (req) => {
    const e = await ctx.store.getEvent(req.params.seq);
    if (!e) throw notFound('event');
    return e;
  });
}
