/**
 * Raw request bodies for the ingest and Elasticsearch routes: taken as a Buffer whatever JSON-ish or
 * binary type the shipper declares, then inflated when gzip (by `Content-Encoding` or by the gzip magic,
 * since some shippers compress without saying so). Inflation is capped at 8× the body limit so a small
 * gzip bomb cannot take the server's memory.
 */
import { gunzipSync, inflateSync } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';

/** Media types the raw routes take (parameters such as `; charset=utf-8` are ignored by fastify's matcher). */
export const RAW_TYPES = [
  'application/json', 'application/x-ndjson', 'application/ndjson', 'application/jsonl', 'text/plain',
  'application/octet-stream', 'application/gzip', 'application/x-gzip', 'application/xml', 'text/xml',
  'text/csv', 'text/tab-separated-values', '*/*',
];

export const INFLATE_FACTOR = 8;

/** Replaces the instance's parsers (call inside an encapsulated plugin) with Buffer passthroughs. */
export function useRawBodies(app: FastifyInstance, bodyBytes: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(RAW_TYPES, { parseAs: 'buffer', bodyLimit: bodyBytes }, (_req, body, done) => done(null, body));
}

const GZIP_MAGIC = (b: Buffer): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/** The request body as plain bytes: inflated if gzip, an empty Buffer when there was none. */
export function rawBody(req: FastifyRequest, bodyBytes: number): Buffer {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const enc = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const maxOutputLength = bodyBytes * INFLATE_FACTOR;
  try {
    if (enc === 'gzip' || enc === 'x-gzip' || (enc === 'identity' && GZIP_MAGIC(body))) return body.length ? gunzipSync(body, { maxOutputLength }) : body;
    if (enc === 'deflate') return body.length ? inflateSync(body, { maxOutputLength }) : body;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new ApiError(413, 'SW6003', `inflated body exceeds ${maxOutputLength} bytes`);
    throw new ApiError(400, 'SW6002', 'body is not valid gzip/deflate data');
  }
  if (enc !== 'identity') throw new ApiError(415, 'SW6004', 'unsupported Content-Encoding (use gzip, deflate or none)');
  return body;
}

/** Bodies of JSON routes must not be encoded: fastify's JSON parser would read gzip bytes as text. */
export function refuseEncoded(req: FastifyRequest): void {
  const enc = req.headers['content-encoding'];
  if (enc !== undefined && String(enc).trim().toLowerCase() !== 'identity') {
    throw new ApiError(415, 'SW6004', 'Content-Encoding is only accepted on the ingest and bulk routes');
  }
}
