/**
 * JSON schemas shared by the routes. Inputs are closed (`additionalProperties: false`) and bounded
 * (string lengths, array sizes); outputs name their fields so fast-json-stringify never serializes
 * something a handler did not mean to send. Free-form parts (alert evidence, raw records) stay open.
 */
import { ALERT_STATUSES, ROLES } from '../pipeline/serve/context.js';
import { badParam } from './errors.js';

const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'];
const nullable = (type: string | string[]): { type: string[] } => ({ type: [...(Array.isArray(type) ? type : [type]), 'null'] });
export const openObject = { type: 'object', additionalProperties: true } as const;

export const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
      required: ['code', 'message'],
      additionalProperties: true,
    },
  },
  required: ['error'],
  additionalProperties: true,
} as const;

/** Standard error responses, merged into each route's `response`. */
export const errors = { '4xx': errorSchema, '5xx': errorSchema } as const;

export const diagnosticSchema = {
  type: 'object',
  properties: {
    code: { type: 'string' }, severity: { type: 'string' }, message: { type: 'string' },
    location: {
      type: ['object', 'null'],
      properties: {
        file: { type: 'string' }, line: { type: 'integer' }, column: { type: 'integer' }, offset: { type: 'integer' },
        record: { type: ['integer', 'string'] }, chunk: { type: 'integer' },
      },
      additionalProperties: false,
    },
    ruleId: { type: 'string' },
  },
  additionalProperties: false,
} as const;

export const processSchema = {
  type: 'object',
  properties: { pid: nullable('integer'), guid: nullable('string'), image: nullable('string'), commandLine: nullable('string') },
  additionalProperties: true,
} as const;

/** A stored alert: the documented alert format (with `id`) and the triage state beside it. */
export const alertItemSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    rule: openObject, time: { type: 'string' }, host: { type: 'string' }, user: nullable('string'),
    process: processSchema, parent: processSchema, ancestors: { type: 'array', items: openObject },
    session: { type: ['object', 'null'], additionalProperties: true }, baseline: { type: ['object', 'null'], additionalProperties: true }, reason: { type: 'string' },
    decoded: { type: 'array', items: openObject }, event: openObject, evidence: openObject,
    status: { type: 'string', enum: [...ALERT_STATUSES] }, assignee: nullable('string'),
    notes: { type: 'array', items: { type: 'object', properties: { timeMs: { type: 'number' }, actor: { type: 'string' }, text: { type: 'string' } } } },
    groupKey: { type: 'string' }, createdMs: { type: 'number' }, updatedMs: { type: 'number' },
  },
  additionalProperties: true,
} as const;

export const eventSchema = {
  type: 'object',
  properties: {
    seq: { type: 'integer' }, key: { type: 'string' }, receivedMs: { type: 'number' }, stream: { type: 'string' },
    sender: nullable('string'), host: nullable('string'), timeMs: nullable('number'), record: openObject,
    normalized: { type: ['object', 'null'], additionalProperties: true }, commandLine: nullable('string'),
  },
  additionalProperties: false,
} as const;

export const page = (items: object) => ({
  type: 'object',
  properties: { items: { type: 'array', items }, next: nullable('string') },
  required: ['items', 'next'],
  additionalProperties: false,
});

/** A time bound: ISO 8601 or ms since the epoch. */
export const timeParam = { type: 'string', maxLength: 40, description: 'ISO 8601 time or ms since the epoch' } as const;
export const cursorParam = { type: 'string', maxLength: 512 } as const;
export const limitParam = (max: number, dflt: number) => ({ type: 'integer', minimum: 1, maximum: max, default: dflt });
export const statusEnum = { type: 'string', enum: [...ALERT_STATUSES] } as const;
export const levelEnum = { type: 'string', enum: LEVELS } as const;
export const roleEnum = { type: 'string', enum: [...ROLES] } as const;
export const idParams = { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 200 } }, required: ['id'], additionalProperties: false } as const;

/** Parses an ISO 8601 time or a decimal ms count; throws a 400 on anything else. */
export function parseTime(v: string | undefined, name: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  const ms = /^\d{1,15}$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(ms)) throw badParam(`${name}: not an ISO 8601 time or ms since the epoch`);
  return ms;
}
