/**
 * POST /api/v1/ingest: a body in any format the file readers recognise (NDJSON, JSON array, EVTX,
 * auditd, Zeek, NetFlow, XML), gzip or not. Answers once the records are committed; bad records become
 * diagnostics and never cost the good ones around them. A body with no readable record at all is a 400.
 */
import type { FastifyInstance } from 'fastify';
import { BusyError, type Diagnostic } from '../../core/index.js';
import type { ServeContext } from '../../pipeline/serve/context.js';
import { rawBody } from '../body.js';
import { ApiError } from '../errors.js';
import { diagnosticSchema, errors } from '../schemas.js';
import type { ApiOptions } from '../types.js';

/** Diagnostics listed in an answer; the rest are counted (a bad 30 MB body has a diagnostic per line). */
export const MAX_DIAGNOSTICS = 100;

export function listDiagnostics(ds: Diagnostic[]): { diagnostics: Diagnostic[]; diagnosticsTotal: number } {
  const diagnostics = ds.slice(0, MAX_DIAGNOSTICS).map((d) => ({ code: d.code, severity: d.severity, message: d.message, location: d.location ?? null } as Diagnostic));
  return { diagnostics, diagnosticsTotal: ds.length };
}

const resultSchema = {
  type: 'object',
  properties: {
    accepted: { type: 'integer' }, duplicates: { type: 'integer' }, reader: { type: ['string', 'null'] },
    diagnostics: { type: 'array', items: diagnosticSchema }, diagnosticsTotal: { type: 'integer' },
  },
  additionalProperties: false,
} as const;

/** Maps a refused accept() to its HTTP answer: 429 + Retry-After when busy, 503 when the store failed. */
export function acceptError(e: unknown): ApiError {
  if (e instanceof BusyError || (e as { code?: string }).code === 'SW6001') {
    const s = Math.max(1, Math.ceil((e as BusyError).retryAfterS ?? 1));
    return new ApiError(429, 'SW6001', 'ingest queue full: retry later', undefined, { 'Retry-After': String(s) });
  }
  return new ApiError(503, 'SW6012', 'the store could not commit the delivery: retry it');
}

export async function ingestRoutes(app: FastifyInstance, ctx: ServeContext, opts: ApiOptions): Promise<void> {
  app.post('/api/v1/ingest', {
    config: { role: 'ingest', raw: true },
    schema: {
      tags: ['ingest'],
      summary: 'Ingest a body of telemetry in any supported format (gzip allowed)',
      querystring: { type: 'object', properties: {}, additionalProperties: false },
      response: { 200: resultSchema, ...errors },
    },
  }, async (req) => {
    const receivedMs = Date.now();
    const body = rawBody(req, opts.bodyBytes);
    if (!body.length) throw new ApiError(400, 'SW6002', 'empty body');
    const parsed = await ctx.parse(body, 'http');
    const listed = listDiagnostics(parsed.diagnostics);
    if (!parsed.records.length) {
      throw new ApiError(400, 'SW6002', parsed.reader ? 'no record in the body could be read' : 'no reader recognises the body', { reader: parsed.reader, ...listed });
    }
    let r;
    try {
      r = await ctx.ingest.accept(parsed.records, { stream: 'http', sender: req.principal?.name, receivedMs });
    } catch (e) {
      throw acceptError(e);
    }
    return { accepted: r.accepted, duplicates: r.duplicates, reader: parsed.reader, ...listed };
  });
}
