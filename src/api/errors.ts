/**
 * The one error shape every route answers with: `{ error: { code, message, details? } }`, a stable SW60xx
 * code and a fitting status. Fastify's own errors (validation, body limit, content type, malformed JSON)
 * are mapped here too, so a client never sees a stack trace or fastify's internal wording of a problem.
 * On the Elasticsearch-compatible routes the error also carries ES's `type`/`reason`/`root_cause` and a
 * top-level `status`, which is what Beats and Logstash log when a request fails.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Code } from '../core/index.js';

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: Code,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const ES_TYPES: Record<number, string> = {
  400: 'parse_exception', 401: 'security_exception', 403: 'security_exception', 404: 'resource_not_found_exception',
  405: 'method_not_allowed', 413: 'content_too_long_exception', 415: 'media_type_header_exception', 429: 'es_rejected_execution_exception',
};

/** The JSON body of an error; ES routes get ES's fields beside ours. */
export function errorBody(e: ApiError, es: boolean): Record<string, unknown> {
  const error: Record<string, unknown> = { code: e.code, message: e.message };
  if (e.details !== undefined) error.details = e.details;
  if (!es) return { error };
  const type = ES_TYPES[e.statusCode] ?? 'exception';
  error.type = type;
  error.reason = e.message;
  error.root_cause = [{ type, reason: e.message }];
  return { error, status: e.statusCode };
}

/** Translates whatever a hook or handler threw into an ApiError; unknown errors become SW9001 without detail. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as FastifyError & { validation?: { instancePath?: string; message?: string }[] };
  if (e.validation) {
    const details = e.validation.slice(0, 20).map((v) => ({ path: v.instancePath || '/', message: v.message ?? 'invalid' }));
    const where = (e as { validationContext?: string }).validationContext ?? 'request';
    return new ApiError(400, 'SW6014', `invalid ${where}: ${details[0]?.path ?? ''} ${details[0]?.message ?? ''}`.trim(), details);
  }
  // the store's own refusals of a bad value (a forged cursor, an unknown status): the caller's mistake
  if ((e.code as string) === 'SW6014') return new ApiError(400, 'SW6014', String(e.message).slice(0, 200));
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return new ApiError(413, 'SW6003', 'request body exceeds the size limit');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return new ApiError(415, 'SW6004', 'unsupported content type');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH': return new ApiError(400, 'SW6002', 'content length does not match the body');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY': return new ApiError(400, 'SW6002', 'empty JSON body');
    case 'FST_ERR_CTP_INVALID_JSON_BODY': return new ApiError(400, 'SW6002', 'malformed JSON body');
  }
  const status = e.statusCode ?? 500;
  // body parse failures (secure-json-parse's SyntaxError, prototype poisoning) carry a 400
  if (status === 400) return new ApiError(400, 'SW6002', err instanceof SyntaxError ? 'malformed JSON body' : 'malformed request');
  if (status === 404) return new ApiError(404, 'SW6007', 'no such route or resource');
  if (status >= 400 && status < 500) return new ApiError(status, 'SW6002', 'malformed request');
  return new ApiError(500, 'SW9001', 'internal error');
}

export function sendError(req: FastifyRequest, reply: FastifyReply, err: ApiError): FastifyReply {
  const es = req.routeOptions?.config?.es === true;
  for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  if (err.statusCode === 401) reply.header('WWW-Authenticate', 'Bearer realm="shellwatch", Basic realm="shellwatch", ApiKey');
  if (es) reply.header('X-Elastic-Product', 'Elasticsearch');
  reply.code(err.statusCode).type('application/json; charset=utf-8');
  // a HEAD answer has no body; clients read the status only
  if (req.method === 'HEAD') return reply.send();
  return reply.send(JSON.stringify(errorBody(err, es)));
}

export const notFound = (what: string): ApiError => new ApiError(404, 'SW6007', `${what} not found`);
export const badParam = (message: string): ApiError => new ApiError(400, 'SW6014', message);
