/**
 * Alerts: list (filtered, cursor-paged), get, triage (PATCH one, bulk many) and the process tree around
 * one. An item is the documented alert format with its id, and the triage state beside the alert's own
 * fields (docs/api.md, "Alert items"). The store audits every triage change with the token's name.
 */
import type { FastifyInstance } from 'fastify';
import type { Level } from '../../core/index.js';
import type { AlertFilter, AlertPatch, AlertStatus, ServeContext, StoredAlert } from '../../pipeline/serve/context.js';
import { ALERT_STATUSES } from '../../pipeline/serve/context.js';
import { actorOf } from '../auth.js';
import { badParam, notFound } from '../errors.js';
import { alertItemSchema, cursorParam, errors, idParams, levelEnum, limitParam, openObject, page, parseTime, statusEnum, timeParam } from '../schemas.js';

/** The API's alert item: the alert (with id) and its triage state. */
export function alertItem(s: StoredAlert): Record<string, unknown> {
  return { ...s.alert, id: s.id, status: s.status, assignee: s.assignee, notes: s.notes, groupKey: s.groupKey, createdMs: s.createdMs, updatedMs: s.updatedMs };
}

const short = { type: 'string', minLength: 1, maxLength: 256 } as const;
const listQuery = {
  type: 'object',
  properties: {
    from: timeParam, to: timeParam, host: short, user: short, rule: short, level: levelEnum,
    status: { type: 'string', maxLength: 200, description: 'comma-separated statuses' },
    assignee: short, q: { type: 'string', minLength: 1, maxLength: 1000 }, limit: limitParam(1000, 100), cursor: cursorParam,
  },
  additionalProperties: false,
} as const;

const patchProps = {
  status: statusEnum,
  assignee: { type: ['string', 'null'], maxLength: 256 },
  note: { type: 'string', minLength: 1, maxLength: 10_000 },
} as const;
const patchBody = { type: 'object', properties: patchProps, minProperties: 1, additionalProperties: false } as const;
const bulkBody = {
  type: 'object',
  properties: { ids: { type: 'array', minItems: 1, maxItems: 1000, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 200 } }, ...patchProps },
  required: ['ids'],
  minProperties: 2,
  additionalProperties: false,
} as const;

type ListQuery = { from?: string; to?: string; host?: string; user?: string; rule?: string; level?: Level; status?: string; assignee?: string; q?: string; limit: number; cursor?: string };

export function alertFilter(q: ListQuery): AlertFilter {
  const f: AlertFilter = { fromMs: parseTime(q.from, 'from'), toMs: parseTime(q.to, 'to'), host: q.host, user: q.user, rule: q.rule, minLevel: q.level, assignee: q.assignee, text: q.q };
  if (q.status !== undefined) {
    const list = q.status.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = list.find((s) => !ALERT_STATUSES.includes(s as AlertStatus));
    if (bad !== undefined || !list.length) throw badParam(`status: expected a comma list of ${ALERT_STATUSES.join(', ')}`);
    f.status = list as AlertStatus[];
  }
  for (const k of Object.keys(f) as (keyof AlertFilter)[]) if (f[k] === undefined) delete f[k];
  return f;
}

function toPatch(b: { status?: AlertStatus; assignee?: string | null; note?: string }): AlertPatch {
  const p: AlertPatch = {};
  if (b.status !== undefined) p.status = b.status;
  if (b.assignee !== undefined) p.assignee = b.assignee;
  if (b.note !== undefined) p.note = b.note;
  return p;
}

export async function alertRoutes(app: FastifyInstance, ctx: ServeContext): Promise<void> {
  readRoutes(app, ctx);
  triageRoutes(app, ctx);
}

function readRoutes(app: FastifyInstance, ctx: ServeContext): void {
  app.get<{ Querystring: ListQuery }>('/api/v1/alerts', {
    config: { role: 'viewer' },
    schema: { tags: ['alerts'], summary: 'List alerts, newest first', querystring: listQuery, response: { 200: page(alertItemSchema), ...errors } },
  }, async (req) => {
    const p = await ctx.store.listAlerts(alertFilter(req.query), req.query.limit, req.query.cursor);
    return { items: p.items.map(alertItem), next: p.next };
  });

  app.get<{ Params: { id: string } }>('/api/v1/alerts/:id', {
    config: { role: 'viewer' },
    schema: { tags: ['alerts'], summary: 'One alert', params: idParams, response: { 200: alertItemSchema, ...errors } },
  }, async (req) => {
    const a = await ctx.store.getAlert(req.params.id);
    if (!a) throw notFound('alert');
    return alertItem(a);
  });

  app.get<{ Params: { id: string } }>('/api/v1/alerts/:id/tree', {
    config: { role: 'viewer' },
    schema: { tags: ['alerts'], summary: 'The process tree around an alert', params: idParams, response: { 200: openObject, ...errors } },
  }, async (req) => {
    const t = await ctx.tree(req.params.id);
    if (!t) throw notFound('alert or its process');
    return t;
  });
}

function triageRoutes(app: FastifyInstance, ctx: ServeContext): void {
  app.patch<{ Params: { id: string }; Body: { status?: AlertStatus; assignee?: string | null; note?: string } }>('/api/v1/alerts/:id', {
    config: { role: 'analyst' },
    schema: { tags: ['alerts'], summary: 'Set status, assignee, or add a note', params: idParams, body: patchBody, response: { 200: alertItemSchema, ...errors } },
  }, async (req) => {
    if (!(await ctx.store.getAlert(req.params.id))) throw notFound('alert');
    const [a] = await ctx.store.updateAlerts([req.params.id], toPatch(req.body), actorOf(req), Date.now());
    const now = a ?? (await ctx.store.getAlert(req.params.id));
    if (!now) throw notFound('alert');
    return alertItem(now);
  });

  app.post<{ Body: { ids: string[]; status?: AlertStatus; assignee?: string | null; note?: string } }>('/api/v1/alerts/bulk', {
    config: { role: 'analyst' },
    schema: {
      tags: ['alerts'], summary: 'Triage up to 1000 alerts at once', body: bulkBody,
      response: { 200: { type: 'object', properties: { updated: { type: 'integer' }, ids: { type: 'array', items: { type: 'string' } } }, additionalProperties: false }, ...errors },
    },
  }, async (req) => {
    const changed = await ctx.store.updateAlerts(req.body.ids, toPatch(req.body), actorOf(req), Date.now());
    return { updated: changed.length, ids: changed.map((a) => a.id) };
  });
}
