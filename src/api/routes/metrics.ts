/**
 * GET /metrics (viewer+): queue depths, host counts and stream names say more about a deployment than
 * a liveness probe should, so Prometheus scrapes with a viewer token (`authorization.credentials` in the
 * scrape config).
 */
import type { FastifyInstance } from 'fastify';
import type { ServeContext } from '../../pipeline/serve/context.js';
import { PROM_CONTENT_TYPE, renderMetrics } from '../prometheus.js';
import { errors } from '../schemas.js';

export async function metricsRoutes(app: FastifyInstance, ctx: ServeContext): Promise<void> {
  app.get('/metrics', {
    config: { role: 'viewer' },
    schema: {
      tags: ['health'],
      summary: 'Prometheus metrics (text format 0.0.4)',
      response: { 200: { type: 'string', description: 'text/plain; version=0.0.4' }, ...errors },
    },
  }, async (_req, reply) => {
    return reply.type(PROM_CONTENT_TYPE).send(renderMetrics(ctx.metrics(), process.memoryUsage.rss()));
  });
}
