/** Liveness and readiness: no auth, so orchestrators and load balancers can probe them. */
import type { FastifyInstance } from 'fastify';
import type { ServeContext } from '../../pipeline/serve/context.js';
import { errors } from '../schemas.js';

const healthSchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded'] },
    store: { type: 'string' },
    uptimeS: { type: 'number' },
    lagEvents: { type: 'number' },
  },
  additionalProperties: false,
} as const;

const readySchema = { type: 'object', properties: { ready: { type: 'boolean' } }, additionalProperties: false } as const;

export async function healthRoutes(app: FastifyInstance, ctx: ServeContext): Promise<void> {
  app.get('/api/v1/health', {
    config: { role: 'public' },
    schema: { tags: ['health'], summary: 'Liveness: the process answers', security: [], response: { 200: healthSchema, ...errors } },
  }, async () => ctx.health());

  app.get('/api/v1/ready', {
    config: { role: 'public' },
    schema: { tags: ['health'], summary: 'Readiness: 503 until the store is open and the backlog replayed', security: [], response: { 200: readySchema, 503: readySchema, ...errors } },
  }, async (_req, reply) => {
    const ready = ctx.ready();
    return reply.code(ready ? 200 : 503).send({ ready });
  });
}
