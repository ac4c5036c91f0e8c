/**
 * Elasticsearch `_bulk` (POST/PUT `/_bulk`, `/{index}/_bulk`): every document becomes one record,
 * read by the same readers as files (ctx.parse over an NDJSON buffer of the documents, one per line,
 * mapped back to items by line), and the whole request is committed in one accept call before the
 * answer: an item says 201 only once its record is durable. The answer is ES's bulk format, since
 * Beats, Logstash, Vector and Fluent Bit retry per item (429) and drop per item (400).
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BusyError, type RawRecord } from '../../core/index.js';
import type { ServeContext } from '../../pipeline/serve/context.js';
import { rawBody } from '../body.js';
import { parseBulk, validIndex, type BulkItem } from '../bulk-parse.js';
import { ApiError } from '../errors.js';
import { errors, openObject } from '../schemas.js';
import type { ApiOptions } from '../types.js';
import { esQuery, methodNotAllowed } from './es.js';

const MAX_ITEMS = 100_000;
const SHARDS = { total: 1, successful: 1, failed: 0 };

interface Outcome { status: number; seq?: number; error?: { type: string; reason: string } }

/** Which items each parsed record and diagnostic belongs to: line n of the buffer is document n-1. */
function byLine(docs: number[], parsed: { records: RawRecord[] }): Map<number, RawRecord[]> {
  const out = new Map<number, RawRecord[]>();
  const lined = parsed.records.every((r) => typeof r.ref.line === 'number');
  parsed.records.forEach((r, k) => {
    // a reader without line numbers that gave one record per document: map by order
    const at = lined ? (r.ref.line as number) - 1 : parsed.records.length === docs.length ? k : -1;
    const item = docs[at];
    if (item === undefined) return;
    const list = out.get(item) ?? [];
    list.push(r);
    out.set(item, list);
  });
  return out;
}

const AUDIT_LINE = /^(?:node=\S+ )?type=[A-Z_]+ msg=audit\(/;

/**
 * A Filebeat auditd document (its audit line unparsed in `message`: Filebeat 8 leaves parsing to an ES
 * ingest pipeline) as a syslog-style line the auditd reader takes, or undefined for any other document.
 * One audit event spans several such documents (SYSCALL, EXECVE, PATH…): read together they are one record.
 */
function auditLine(doc: Buffer): string | undefined {
  const o = JSON.parse(doc.toString('utf8')) as Record<string, unknown>;
  const msg = o.message;
  if (typeof msg !== 'string' || !AUDIT_LINE.test(msg) || msg.includes('\n')) return undefined;
  const host = (o.host as Record<string, unknown> | undefined)?.name;
  const ts = typeof o['@timestamp'] === 'string' && /^\d{4}-\d\d-\d\dT\S+$/.test(o['@timestamp']) ? o['@timestamp'] : new Date(0).toISOString();
  return typeof host === 'string' && /^[^\s]{1,255}$/.test(host) ? `${ts} ${host} auditd: ${msg}` : msg;
}

/** Reads documents (NDJSON, or audit lines) and returns the records of each item, and why items gave none. */
async function readDocs(ctx: ServeContext, items: BulkItem[], docs: number[], stream: string, lineOf: (i: number) => Buffer): Promise<{ perItem: Map<number, RawRecord[]>; reasons: Map<number, string>; reader: string | null }> {
  const parsed = await ctx.parse(Buffer.concat(docs.flatMap((i) => [lineOf(i), Buffer.from('\n')])), stream);
  const perItem = byLine(docs, parsed);
  const reasons = new Map<number, string>();
  for (const d of parsed.diagnostics) if (d.location?.line !== undefined && d.severity === 'error') reasons.set(docs[d.location.line - 1], `${d.code}: ${d.message}`);
  return { perItem, reasons, reader: parsed.reader };
}

async function ingestItems(ctx: ServeContext, items: BulkItem[], stream: string, sender: string, receivedMs: number): Promise<Outcome[]> {
  const outcomes: Outcome[] = items.map((it) => (it.error ? { status: 400, error: it.error } : it.op === 'delete' ? { status: 404 } : { status: 201 }));
  const docs = items.flatMap((it, i) => (it.doc && !it.error ? [i] : []));
  if (!docs.length) return outcomes;
  const audit = new Map<number, string>();
  for (const i of docs) { const l = auditLine(items[i].doc!); if (l !== undefined) audit.set(i, l); }
  const plain = docs.filter((i) => !audit.has(i));
  const audits = docs.filter((i) => audit.has(i));
  const json = plain.length ? await readDocs(ctx, items, plain, stream, (i) => items[i].doc!) : undefined;
  const text = audits.length ? await readDocs(ctx, items, audits, stream, (i) => Buffer.from(audit.get(i)!)) : undefined;
  const records: RawRecord[] = [];
  const first: [number, number][] = [];
  for (const item of docs) {
    const r = audit.has(item) ? text! : json!;
    const rs = r.perItem.get(item);
    // the lines of an audit event after its first belong to the first line's record
    if (!rs && audit.has(item) && !r.reasons.has(item)) { first.push([item, -1]); continue; }
    if (!rs) outcomes[item] = { status: 400, error: { type: 'mapper_parsing_exception', reason: r.reasons.get(item) ?? `no reader recognises the document (${r.reader ?? 'none'})` } };
    else { first.push([item, records.length]); records.push(...rs); }
  }
  if (!records.length) return outcomes;
  try {
    const r = await ctx.ingest.accept(records, { stream, sender, receivedMs });
    for (const [item, at] of first) outcomes[item] = { status: 201, seq: at >= 0 ? r.seqs?.[at] : undefined };
  } catch (e) {
    if (!(e instanceof BusyError || (e as { code?: string }).code === 'SW6001')) throw new ApiError(503, 'SW6012', 'the store could not commit the request: retry it');
    for (const [item] of first) outcomes[item] = { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'ingest queue full: retry later' } };
  }
  return outcomes;
}

function itemResult(it: BulkItem, o: Outcome, ordinal: number): Record<string, unknown> {
  const base = { _index: it.index, _id: it.id ?? randomBytes(15).toString('base64url'), status: o.status };
  if (o.error) return { [it.op]: { ...base, error: { ...o.error, index: it.index } } };
  if (it.op === 'delete') return { delete: { ...base, _version: 1, result: 'not_found', _shards: SHARDS, _seq_no: ordinal, _primary_term: 1 } };
  return { [it.op]: { ...base, _version: 1, result: 'created', _shards: SHARDS, _seq_no: o.seq !== undefined && o.seq >= 0 ? o.seq : ordinal, _primary_term: 1 } };
}

/** The stream name: the URL's index, else the one index all items name, else `bulk:*`. */
function streamOf(items: BulkItem[], urlIndex: string | null): string {
  if (urlIndex) return `bulk:${urlIndex}`;
  const names = new Set(items.filter((i) => !i.error).map((i) => i.index));
  return names.size === 1 ? `bulk:${[...names][0]}` : 'bulk:*';
}

export async function bulkRoutes(app: FastifyInstance, ctx: ServeContext, opts: ApiOptions): Promise<void> {
  const handler = async (req: FastifyRequest<{ Params: { index?: string } }>, reply: FastifyReply) => {
    const started = Date.now();
    const urlIndex = req.params.index ?? null;
    if (urlIndex !== null && !validIndex(urlIndex)) throw new ApiError(400, 'SW6014', `invalid index name [${urlIndex.slice(0, 100)}]`);
    const items = parseBulk(rawBody(req, opts.bodyBytes), urlIndex, MAX_ITEMS);
    if (!items.length) throw new ApiError(400, 'SW6002', 'request body is required');
    const outcomes = await ingestItems(ctx, items, streamOf(items, urlIndex), req.principal?.name ?? 'anonymous', started);
    const out = items.map((it, i) => itemResult(it, outcomes[i], i));
    return reply.send({ took: Date.now() - started, errors: outcomes.some((o) => o.error !== undefined), items: out });
  };
  const schema = (summary: string, params?: object) => ({
    tags: ['elasticsearch'], summary, querystring: esQuery, ...(params ? { params } : {}),
    security: [{ basic: [] as string[] }, { apiKey: [] as string[] }, { bearer: [] as string[] }] as { [k: string]: string[] }[],
    response: { 200: { type: 'object', properties: { took: { type: 'integer' }, errors: { type: 'boolean' }, items: { type: 'array', items: openObject } }, additionalProperties: false }, ...errors },
  });
  const indexParams = { type: 'object', properties: { index: { type: 'string', minLength: 1, maxLength: 255 } }, required: ['index'], additionalProperties: false };
  const config = { role: 'ingest', es: true, raw: true } as const;
  app.route({ method: ['POST', 'PUT'], url: '/_bulk', config, schema: schema('Elasticsearch bulk ingest'), handler });
  app.route({ method: ['POST', 'PUT'], url: '/:index/_bulk', config, schema: schema('Elasticsearch bulk ingest into an index', indexParams), handler });
  for (const url of ['/_bulk', '/:index/_bulk']) {
    app.route({ method: ['GET', 'DELETE', 'PATCH'], url, config: { ...config, role: 'public' }, schema: { hide: true }, handler: methodNotAllowed('POST, PUT') });
  }
}
