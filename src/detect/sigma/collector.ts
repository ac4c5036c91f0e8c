/**
 * Phase 2, collector: YAML documents → rule documents. Applies rule collections (`action: global`,
 * `reset`, `repeat`) and classifies each document as a rule, a correlation or a filter.
 */
import type { RawDoc } from './reader.js';

export type DocKind = 'rule' | 'correlation' | 'filter';

/** A complete rule document after collection, still uncompiled. */
export interface RuleDoc {
  kind: DocKind | 'invalid';
  body: Record<string, unknown>;
  doc: RawDoc;
  /** why the document is invalid */
  reason?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function hasKeys(o: Obj): boolean {
  for (const _ in o) return true;
  return false;
}

/** Deep merge: maps merge key by key, anything else from `b` replaces `a`. */
export function deepMerge(a: Obj, b: Obj): Obj {
  const out: Obj = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObj(v) && isObj(out[k]) ? deepMerge(out[k] as Obj, v) : v;
  return out;
}

function classify(body: Obj): { kind: DocKind | 'invalid'; reason?: string } {
  if (isObj(body.correlation)) return { kind: 'correlation' };
  if (isObj(body.filter) && !('detection' in body)) return { kind: 'filter' };
  if (isObj(body.detection)) return { kind: 'rule' };
  return { kind: 'invalid', reason: 'document has no detection, correlation or filter section' };
}

/** Collects the documents of one file into rule documents. */
export function collect(docs: RawDoc[]): RuleDoc[] {
  let global: Obj = {};
  let previous: Obj | null = null;
  const out: RuleDoc[] = [];
  for (const doc of docs) {
    if (!isObj(doc.value)) {
      out.push({ kind: 'invalid', body: {}, doc, reason: 'document is not a map' });
      continue;
    }
    const { action, ...rest } = doc.value;
    if (action === 'global') { global = deepMerge(global, rest); continue; }
    if (action === 'reset') { global = {}; continue; }
    let body: Obj;
    if (action === 'repeat') {
      if (!previous) { out.push({ kind: 'invalid', body: rest, doc, reason: '`action: repeat` without a previous document' }); continue; }
      body = deepMerge(previous, rest);
    } else if (action !== undefined) {
      out.push({ kind: 'invalid', body: rest, doc, reason: `unknown action '${String(action)}'` });
      continue;
    } else body = hasKeys(global) ? deepMerge(global, rest) : rest;
    previous = body;
    out.push({ doc, body, ...classify(body) });
  }
  return out;
}
