/**
 * GET /api/v1/alerts/stream: new alerts as Server-Sent Events (`id:` alert id, `event: alert`, `data:`
 * the alert item as one JSON line), `: ping` comments as heartbeats so proxies keep the connection and
 * clients notice a dead one. Each client gets a bounded send buffer: a client that cannot keep up is
 * disconnected (it reconnects and re-lists) rather than growing the server's memory.
 */
import type { FastifyInstance } from 'fastify';
import type { ServeContext, StoredAlert } from '../../pipeline/serve/context.js';
import { levelEnum, errors } from '../schemas.js';
import type { ApiOptions } from '../types.js';
import { alertItem } from './alerts.js';

const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'];

/** One SSE frame; the id loses any line breaks (a break would end the field and start a forged one). */
export function sseFrame(a: StoredAlert): string {
  return `id: ${a.id.replace(/[\r\n]/g, '')}\nevent: alert\ndata: ${JSON.stringify(alertItem(a))}\n\n`;
}

export async function streamRoutes(app: FastifyInstance, ctx: ServeContext, opts: ApiOptions): Promise<void> {
  const heartbeatMs = opts.sseHeartbeatMs ?? 15_000;
  const maxBuffered = opts.sseBufferBytes ?? 1024 * 1024;
  app.get<{ Querystring: { token?: string; level?: string } }>('/api/v1/alerts/stream', {
    config: { role: 'viewer', queryToken: true },
    exposeHeadRoute: false,
    schema: {
      tags: ['alerts'],
      summary: 'Live alerts as Server-Sent Events',
      description: 'text/event-stream. EventSource cannot set headers, so `?token=` is accepted here (and only here).',
      querystring: { type: 'object', properties: { token: { type: 'string', maxLength: 512 }, level: levelEnum }, additionalProperties: false },
      response: { 200: { type: 'string', description: 'text/event-stream' }, ...errors },
    },
  }, async (req, reply) => {
    const minRank = req.query.level ? LEVELS.indexOf(req.query.level) : 0;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff',
      Connection: 'keep-alive', 'X-Accel-Buffering': 'no',
    });
    let closed = false;
    const send = (chunk: string): void => {
      if (closed) return;
      // writableLength counts what the socket has not taken yet: past the bound, drop the client
      if (res.writableLength > maxBuffered) return void res.destroy();
      res.write(chunk);
    };
    const unsubscribe = ctx.subscribe((a) => {
      if (LEVELS.indexOf(a.alert.rule.level) >= minRank) send(sseFrame(a));
    });
    const timer = setInterval(() => send(': ping\n\n'), heartbeatMs);
    const cleanup = (): void => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      unsubscribe();
    };
    res.on('close', cleanup);
    res.on('error', cleanup);
    send('retry: 5000\n: connected\n\n');
  });
}
