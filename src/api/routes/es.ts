/**
 * The Elasticsearch handshake and start-up probes, answered plausibly so shippers start without a
 * real cluster: Beats and Logstash GET `/` for the version (and check X-Elastic-Product), GET
 * `/_license` / `/_xpack`, probe and PUT index templates, ILM policies and ingest pipelines; Vector
 * GETs `/_cluster/health`; rsyslog's omelasticsearch GETs `/_cat/health`. Nothing is stored: a probe
 * says "exists", a PUT says `acknowledged` (docs/api.md, "Elasticsearch compatibility").
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import { errors, openObject } from '../schemas.js';

const str = { type: 'string', maxLength: 1000 } as const;
/** Query parameters ES clients send on these routes; their values are accepted and ignored. */
const ES_PARAMS = [
  'filter_path', 'pipeline', 'refresh', 'timeout', 'master_timeout', 'routing', 'require_alias', 'require_data_stream',
  'wait_for_active_shards', '_source', '_source_includes', '_source_excludes', 'list_executed_pipelines', 'pretty', 'human',
  'error_trace', 'local', 'flat_settings', 'include_type_name', 'accept_enterprise', 'create', 'cause', 'order', 'format',
  'level', 'wait_for_status', 'include_defaults', 'expand_wildcards', 'ignore_unavailable', 'allow_no_indices', 'categories', 'v', 'h', 'type',
];
export const esQuery = { type: 'object', properties: Object.fromEntries(ES_PARAMS.map((p) => [p, str])), additionalProperties: false };

export const ES_VERSION = '8.11.0';
const CLUSTER = 'shellwatch';
// fixed, not derived from the host: the handshake is answered without auth and must not identify it
const CLUSTER_UUID = 'c2hlbGx3YXRjaC1zZXJ2ZQ';

export const versionDocument = {
  name: CLUSTER,
  cluster_name: CLUSTER,
  cluster_uuid: CLUSTER_UUID,
  version: {
    number: ES_VERSION, build_flavor: 'default', build_type: 'docker', build_hash: '0000000000000000000000000000000000000000',
    build_date: '2023-11-04T10:04:57.184859352Z', build_snapshot: false, lucene_version: '9.8.0',
    minimum_wire_compatibility_version: '7.17.0', minimum_index_compatibility_version: '7.0.0',
  },
  tagline: 'You Know, for Search',
};

const license = { status: 'active', uid: CLUSTER_UUID, type: 'basic', issue_date: '2024-01-01T00:00:00.000Z', issue_date_in_millis: 1704067200000, max_nodes: 1000, max_resource_units: null, issued_to: CLUSTER, issuer: 'elasticsearch', start_date_in_millis: -1 };
const features = Object.fromEntries(['ilm', 'security', 'monitoring', 'watcher', 'ml', 'slm', 'data_streams'].map((f) => [f, { available: true, enabled: f !== 'ml' && f !== 'watcher' }]));

const health = {
  cluster_name: CLUSTER, status: 'green', timed_out: false, number_of_nodes: 1, number_of_data_nodes: 1, active_primary_shards: 0, active_shards: 0,
  relocating_shards: 0, initializing_shards: 0, unassigned_shards: 0, delayed_unassigned_shards: 0, number_of_pending_tasks: 0,
  number_of_in_flight_fetch: 0, task_max_waiting_in_queue_millis: 0, active_shards_percent_as_number: 100.0,
};

const processors = ['append', 'date', 'dissect', 'geoip', 'grok', 'json', 'kv', 'lowercase', 'pipeline', 'remove', 'rename', 'script', 'set', 'user_agent'];
const nodes = {
  _nodes: { total: 1, successful: 1, failed: 0 },
  cluster_name: CLUSTER,
  nodes: { shellwatch0: { name: CLUSTER, version: ES_VERSION, roles: ['data', 'ingest', 'master'], ingest: { processors: processors.map((type) => ({ type })) } } },
};

const name = (req: FastifyRequest): string => String((req.params as Record<string, string>).name ?? '').slice(0, 255);

export function methodNotAllowed(allow: string) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<never> => {
    throw new ApiError(405, 'SW6002', `Incorrect HTTP method for uri [${req.url.split('?')[0].slice(0, 200)}] and method [${req.method}], allowed: [${allow}]`, undefined, { Allow: allow });
  };
}

type Answer = (req: FastifyRequest) => unknown;
const named = { type: 'object', properties: { name: { type: 'string', minLength: 1, maxLength: 255 } }, required: ['name'], additionalProperties: false };

export async function esRoutes(app: FastifyInstance): Promise<void> {
  const config = { role: 'ingest', es: true, raw: true } as const;
  const get = (url: string, summary: string, answer: Answer, params?: object): void => {
    app.get(url, { config, schema: { tags: ['elasticsearch'], summary, querystring: esQuery, ...(params ? { params } : {}), response: { 200: openObject, ...errors } } }, async (req) => answer(req));
  };
  const put = (url: string, summary: string, answer: Answer = () => ({ acknowledged: true }), params: object = named): void => {
    app.route({ method: ['PUT', 'POST'], url, config, schema: { tags: ['elasticsearch'], summary, querystring: esQuery, params, response: { 200: openObject, ...errors } }, handler: async (req) => answer(req) });
  };
  app.get('/', {
    config: { ...config, role: 'public' },
    schema: { tags: ['elasticsearch'], summary: 'Elasticsearch version document (handshake)', security: [], querystring: esQuery, response: { 200: openObject, ...errors } },
  }, async () => versionDocument);
  get('/_license', 'License (basic, active)', () => ({ license }));
  get('/_xpack', 'X-Pack features', () => ({ build: { hash: versionDocument.version.build_hash, date: versionDocument.version.build_date }, license: { uid: CLUSTER_UUID, type: 'basic', mode: 'basic', status: 'active' }, features }));
  get('/_nodes', 'Nodes', () => nodes);
  get('/_nodes/*', 'Nodes (filtered)', () => nodes);
  get('/_cluster/health', 'Cluster health (green)', () => health);
  app.get<{ Querystring: { format?: string } }>('/_cat/health', {
    config, schema: { tags: ['elasticsearch'], summary: 'Cluster health, cat format', querystring: esQuery, response: { 200: {}, ...errors } },
  }, async (req, reply) => {
    const row = { epoch: String(Math.floor(Date.now() / 1000)), cluster: CLUSTER, status: 'green', 'node.total': '1', 'node.data': '1', shards: '0', pri: '0' };
    if (req.query.format === 'json') return reply.type('application/json').send([row]);
    return reply.type('text/plain; charset=UTF-8').send(`${row.epoch} 00:00:00 ${CLUSTER} green 1 1 0 0 0 0 0 0 - 100.0%\n`);
  });
  for (const [base, key] of [['/_index_template', 'index_templates'], ['/_component_template', 'component_templates']] as const) {
    get(`${base}/:name`, `Template ${key} (always exists)`, (req) => ({ [key]: [{ name: name(req), [key.replace(/s$/, '')]: { index_patterns: [`${name(req)}*`], template: {}, composed_of: [] } }] }), named);
    put(`${base}/:name`, `Put ${key} (acknowledged, not stored)`);
  }
  get('/_template/:name', 'Legacy template (always exists)', (req) => ({ [name(req)]: { order: 0, index_patterns: [`${name(req)}*`], settings: {}, mappings: {}, aliases: {} } }), named);
  put('/_template/:name', 'Put legacy template (acknowledged, not stored)');
  get('/_ingest/pipeline/:name', 'Ingest pipeline (always exists)', (req) => ({ [name(req)]: { description: 'accepted by shellwatch', processors: [] } }), named);
  put('/_ingest/pipeline/:name', 'Put ingest pipeline (acknowledged, not stored)');
  get('/_ilm/policy/:name', 'ILM policy (always exists)', (req) => ({ [name(req)]: { version: 1, modified_date: license.issue_date, policy: { phases: { hot: { min_age: '0ms', actions: {} } } } } }), named);
  put('/_ilm/policy/:name', 'Put ILM policy (acknowledged, not stored)');
  get('/_alias/:name', 'Alias (always exists)', (req) => ({ [`${name(req)}-000001`]: { aliases: { [name(req)]: { is_write_index: true } } } }), named);
  get('/_data_stream/:name', 'Data stream (always exists)', (req) => ({ data_streams: [{ name: name(req), timestamp_field: { name: '@timestamp' }, indices: [], generation: 1, status: 'GREEN', template: name(req) }] }), named);
  put('/_data_stream/:name', 'Create data stream (acknowledged, not stored)');
  get('/:name', 'Index (always exists)', (req) => ({ [name(req)]: { aliases: {}, mappings: {}, settings: { index: { number_of_shards: '1', number_of_replicas: '0' } } } }), named);
  put('/:name', 'Create index (acknowledged, not stored)', (req) => ({ acknowledged: true, shards_acknowledged: true, index: name(req) }));
}
