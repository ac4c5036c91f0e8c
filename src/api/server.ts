/**
 * buildApi: the HTTP face of `serve`. One fastify instance; the caller calls `.listen`. Every request
 * passes one onRequest hook (security headers → authenticate → rate limit → authorize) before its body
 * is read, so an unauthenticated client cannot make the server buffer or inflate a body, and guessing
 * tokens is rate limited per address like any other unauthenticated traffic.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { ServeContext } from '../pipeline/serve/context.js';
import { authenticator, type Authenticator } from './auth.js';
import { refuseEncoded, useRawBodies } from './body.js';
import { ApiError, sendError, toApiError } from './errors.js';
import { openApiOptions, registerOpenApiRoute } from './openapi.js';
import { alertRoutes } from './routes/alerts.js';
import { auditRoutes } from './routes/audit.js';
import { bulkRoutes } from './routes/bulk.js';
import { esRoutes } from './routes/es.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { hostRoutes } from './routes/hosts.js';
import { ingestRoutes } from './routes/ingest.js';
import { metricsRoutes } from './routes/metrics.js';
import { ruleRoutes } from './routes/rules.js';
import { streamRoutes } from './routes/stream.js';
import type { ApiOptions } from './types.js';

export type { ApiOptions } from './types.js';

export async function buildApi(ctx: ServeContext, opts: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: opts.bodyBytes,
    https: opts.https ? { cert: opts.https.cert, key: opts.https.key } : null,
    // ids, names and limits come from attackers: reject unknown fields instead of dropping them quietly
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
    return503OnClosing: true,
  }) as unknown as FastifyInstance;
  app.decorateRequest('principal', null);
  app.setErrorHandler((err, req, reply) => {
    const e = toApiError(err);
    if (e.statusCode >= 500) req.log.error({ err }, 'request failed');
    return sendError(req, reply, e);
  });
  app.setNotFoundHandler((req, reply) => sendError(req, reply, new ApiError(404, 'SW6007', `no route ${req.method} ${req.url.split('?')[0].slice(0, 200)}`)));

  await app.register(rateLimit, {
    global: false,
    max: opts.ratePerMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => (req.principal ? `t:${req.principal.token.id}` : `ip:${req.ip}`),
    errorResponseBuilder: (_req, c) =>
      new ApiError(429, 'SW6008', `rate limit exceeded: retry in ${c.after}`, undefined, { 'Retry-After': String(Math.max(1, Math.ceil(c.ttl / 1000))) }),
  });
  const limiter = app.rateLimit();
  const auth = authenticator(ctx.store);
  app.addHook('onRequest', async (req, reply) => gate(req, reply, auth, limiter));

  await app.register(swagger, openApiOptions(opts.version));
  registerOpenApiRoute(app);
  await app.register(async (json) => {
    // JSON routes take JSON only: fastify's default text/plain parser would hand a string to the schema
    json.removeContentTypeParser('text/plain');
    json.addHook('onRequest', async (req) => refuseEncoded(req));
    await healthRoutes(json, ctx);
    await metricsRoutes(json, ctx);
    await alertRoutes(json, ctx);
    await streamRoutes(json, ctx, opts);
    await eventRoutes(json, ctx);
    await hostRoutes(json, ctx);
    await ruleRoutes(json, ctx);
    await auditRoutes(json, ctx);
  });
  await app.register(async (raw) => {
    useRawBodies(raw, opts.bodyBytes);
    await ingestRoutes(raw, ctx, opts);
    await bulkRoutes(raw, ctx, opts);
    await esRoutes(raw);
  });
  return app;
}

type Limiter = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

async function gate(req: FastifyRequest, reply: FastifyReply, auth: Authenticator, limiter: Limiter): Promise<void> {
  reply.header('X-Content-Type-Options', 'nosniff');
  reply.header('Cache-Control', 'no-store');
  reply.header('X-Frame-Options', 'DENY');
  reply.header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  if (req.routeOptions.config?.es) reply.header('X-Elastic-Product', 'Elasticsearch');
  req.principal = await auth.authenticate(req);
  await limiter(req, reply);
  if (!req.is404) auth.authorize(req, reply);
}
