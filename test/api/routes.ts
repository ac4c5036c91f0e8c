/** Every route of the API with the role it needs and a request that succeeds for that role. */
import type { Role } from '../../src/pipeline/serve/context.js';
import type { RouteRole } from '../../src/api/types.js';

export interface RouteCase { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'HEAD'; url: string; role: RouteRole; body?: string | object; type?: string; path?: string }

const ndjson = '{"@timestamp":"2026-03-01T00:00:00Z","event":{"category":"process","type":"start"},"host":{"name":"h1"},"process":{"pid":1,"executable":"/bin/sh","command_line":"sh -c id"}}\n';
const bulk = `{"create":{"_index":"logs-x"}}\n${ndjson}`;
const es = (method: RouteCase['method'], url: string, path = url): RouteCase => ({ method, url, role: 'ingest', path, ...(method === 'PUT' ? { body: '{}', type: 'application/json' } : {}) });

export const ROUTES: RouteCase[] = [
  { method: 'GET', url: '/api/v1/health', role: 'public' },
  { method: 'GET', url: '/api/v1/ready', role: 'public' },
  { method: 'GET', url: '/api/v1/openapi.json', role: 'public' },
  { method: 'GET', url: '/', role: 'public' },
  { method: 'GET', url: '/metrics', role: 'viewer' },
  { method: 'GET', url: '/api/v1/alerts?limit=5', role: 'viewer', path: '/api/v1/alerts' },
  { method: 'GET', url: '/api/v1/alerts/a00001', role: 'viewer', path: '/api/v1/alerts/{id}' },
  { method: 'PATCH', url: '/api/v1/alerts/a00001', role: 'analyst', body: { status: 'acknowledged' }, path: '/api/v1/alerts/{id}' },
  { method: 'POST', url: '/api/v1/alerts/bulk', role: 'analyst', body: { ids: ['a00001'], note: 'seen' } },
  { method: 'GET', url: '/api/v1/alerts/a00001/tree', role: 'viewer', path: '/api/v1/alerts/{id}/tree' },
  { method: 'GET', url: '/api/v1/events', role: 'viewer' },
  { method: 'GET', url: '/api/v1/events/1', role: 'viewer', path: '/api/v1/events/{seq}' },
  { method: 'GET', url: '/api/v1/hosts', role: 'viewer' },
  { method: 'GET', url: '/api/v1/rules', role: 'viewer' },
  { method: 'POST', url: '/api/v1/rules/test', role: 'analyst', body: { rule: 'title: x', events: [{ a: 1 }] } },
  { method: 'POST', url: '/api/v1/rules/reload', role: 'admin' },
  { method: 'POST', url: '/api/v1/hunts', role: 'analyst', body: { rules: ['title: x'], store: true } },
  { method: 'GET', url: '/api/v1/audit', role: 'admin' },
  { method: 'GET', url: '/api/v1/audit/verify', role: 'admin' },
  { method: 'POST', url: '/api/v1/ingest', role: 'ingest', body: ndjson, type: 'application/x-ndjson' },
  { method: 'POST', url: '/_bulk', role: 'ingest', body: bulk, type: 'application/x-ndjson' },
  { method: 'PUT', url: '/_bulk', role: 'ingest', body: bulk, type: 'application/json' },
  { method: 'POST', url: '/logs-x/_bulk', role: 'ingest', body: bulk, type: 'application/json', path: '/{index}/_bulk' },
  es('GET', '/_license'), es('GET', '/_xpack'), es('GET', '/_nodes'), es('GET', '/_nodes/_local/ingest', '/_nodes/{*}'),
  es('GET', '/_cluster/health'), es('GET', '/_cat/health'),
  ...['/_index_template', '/_component_template', '/_template', '/_ingest/pipeline', '/_ilm/policy', '/_data_stream'].flatMap((b) => [
    es('GET', `${b}/winlogbeat-8.11.0`, `${b}/{name}`), es('PUT', `${b}/winlogbeat-8.11.0`, `${b}/{name}`), es('HEAD', `${b}/winlogbeat-8.11.0`, `${b}/{name}`),
  ]),
  es('GET', '/_alias/logstash', '/_alias/{name}'), es('HEAD', '/_alias/logstash', '/_alias/{name}'),
  es('GET', '/winlogbeat-8.11.0', '/{name}'), es('HEAD', '/winlogbeat-8.11.0', '/{name}'), es('PUT', '/winlogbeat-8.11.0', '/{name}'),
];

export const ROLE_RANK: Record<Role, number> = { ingest: -1, viewer: 0, analyst: 1, responder: 2, admin: 3 };
export function mayUse(have: Role, need: RouteRole): boolean {
  if (need === 'public' || have === 'admin') return true;
  if (need === 'ingest') return have === 'ingest';
  return have !== 'ingest' && ROLE_RANK[have] >= ROLE_RANK[need];
}
