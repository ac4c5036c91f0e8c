/**
 * Rules: list, test one over sample events, reload from disk, and a retro-hunt of Sigma rules over the
 * stored events. Rule YAML is attacker-controlled like everything else: sizes are capped here, and the
 * Sigma engine bounds its own regexes.
 */
import type { FastifyInstance } from 'fastify';
import type { RetroHuntRequest, ServeContext } from '../../pipeline/serve/context.js';
import { actorOf } from '../auth.js';
import { diagnosticSchema, errors, openObject, parseTime, timeParam } from '../schemas.js';

const ruleInfo = {
  type: 'object',
  properties: {
    id: { type: 'string' }, title: { type: 'string' }, level: { type: ['string', 'null'] }, status: { type: ['string', 'null'] },
    path: { type: 'string' }, loaded: { type: 'boolean' }, problems: { type: 'array', items: { type: 'string' } },
  },
  additionalProperties: false,
} as const;
const diagnostics = { type: 'array', items: diagnosticSchema } as const;
const yamlText = { type: 'string', minLength: 1, maxLength: 1_048_576 } as const;

const testBody = {
  type: 'object',
  properties: { rule: yamlText, events: { type: 'array', maxItems: 10_000, items: { type: 'object' } } },
  required: ['rule', 'events'],
  additionalProperties: false,
} as const;
const huntBody = {
  type: 'object',
  properties: {
    rules: { type: 'array', minItems: 1, maxItems: 100, items: yamlText },
    from: timeParam, to: timeParam, host: { type: 'string', minLength: 1, maxLength: 256 },
    limit: { type: 'integer', minimum: 1, maximum: 1_000_000 }, store: { type: 'boolean', default: false },
  },
  required: ['rules'],
  additionalProperties: false,
} as const;
type HuntBody = { rules: string[]; from?: string; to?: string; host?: string; limit?: number; store: boolean };

export async function ruleRoutes(app: FastifyInstance, ctx: ServeContext): Promise<void> {
  app.get('/api/v1/rules', {
    config: { role: 'viewer' },
    schema: { tags: ['rules'], summary: 'Loaded and failed Sigma rules', response: { 200: { type: 'object', properties: { items: { type: 'array', items: ruleInfo } }, additionalProperties: false }, ...errors } },
  }, async () => ({ items: ctx.rules() }));

  app.post<{ Body: { rule: string; events: Record<string, unknown>[] } }>('/api/v1/rules/test', {
    config: { role: 'analyst' },
    schema: {
      tags: ['rules'], summary: 'Run one rule over sample events', body: testBody,
      response: {
        200: {
          type: 'object',
          properties: {
            rule: { anyOf: [ruleInfo, { type: 'null' }] }, diagnostics,
            matches: { type: 'array', items: { type: 'object', properties: { index: { type: 'integer' }, title: { type: 'string' }, level: { type: 'string' } } } },
          },
          additionalProperties: false,
        },
        ...errors,
      },
    },
  }, async (req) => ctx.testRule(req.body.rule, req.body.events));

  app.post('/api/v1/rules/reload', {
    config: { role: 'admin' },
    schema: {
      tags: ['rules'], summary: 'Reload the rules from disk (the old set stays if the new one fails)',
      response: { 200: { type: 'object', properties: { loaded: { type: 'integer' }, failed: { type: 'integer' }, diagnostics }, additionalProperties: false }, ...errors },
    },
  }, async (req) => {
    const r = await ctx.reloadRules();
    await ctx.store.audit({ timeMs: Date.now(), actor: actorOf(req), action: 'rules.reload', target: null, details: { loaded: r.loaded, failed: r.failed } });
    return r;
  });
  huntRoutes(app, ctx);
}

function huntRoutes(app: FastifyInstance, ctx: ServeContext): void {
  app.post<{ Body: HuntBody }>('/api/v1/hunts', {
    config: { role: 'analyst' },
    schema: {
      tags: ['rules'], summary: 'Retro-hunt: run Sigma rules over stored events', body: huntBody,
      response: {
        200: { type: 'object', properties: { scanned: { type: 'integer' }, truncated: { type: 'boolean' }, alerts: { type: 'array', items: openObject }, diagnostics }, additionalProperties: false },
        ...errors,
      },
    },
  }, async (req) => {
    const b = req.body;
    const hunt: RetroHuntRequest = { rules: b.rules, fromMs: parseTime(b.from, 'from'), toMs: parseTime(b.to, 'to'), host: b.host, limit: b.limit, store: b.store };
    const r = await ctx.retroHunt(hunt);
    if (b.store) {
      await ctx.store.audit({
        timeMs: Date.now(), actor: actorOf(req), action: 'hunt.store', target: null,
        details: { rules: b.rules.length, fromMs: hunt.fromMs ?? null, toMs: hunt.toMs ?? null, host: b.host ?? null, scanned: r.scanned, alerts: r.alerts.length },
      });
    }
    return r;
  });
}
