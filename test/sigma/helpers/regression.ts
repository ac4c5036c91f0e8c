// Test-only loader for SigmaHQ regression_data .json files (pretty-printed, sometimes several objects
// concatenated) → RawRecords of the shape the production JSON reader produces.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { RawRecord } from '../../../src/core/index.js';
import { corpusPath } from '../../helpers/corpus.js';

/** Splits concatenated JSON values (depth-0 boundaries; strings respected). */
export function splitJson(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0, start = -1, inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inStr) { if (c === '\\') i++; else if (c === '"') inStr = false; continue; }
    if (c === '"') inStr = true;
    else if (c === '{' || c === '[') { if (depth++ === 0) start = i; } else if (c === '}' || c === ']') { if (--depth === 0) out.push(JSON.parse(text.slice(start, i + 1))); }
  }
  return out;
}

type Obj = Record<string, unknown>;
const attr = (v: unknown, name: string): unknown => ((v as Obj | undefined)?.['#attributes'] as Obj | undefined)?.[name];

function flatten(o: unknown, prefix: string, out: Obj): void {
  if (o && typeof o === 'object' && !Array.isArray(o)) {
    for (const [k, v] of Object.entries(o as Obj)) {
      if (k === '#attributes') { flatten(v, prefix, out); continue; }
      if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v, k, out); else out[k] = v;
    }
  } else if (prefix) out[prefix] = o;
}

/** One `{"Event":{"System":…,"EventData"|"UserData":…}}` object → RawRecord. */
export function toRawRecord(obj: unknown, file: string, ordinal: number): RawRecord {
  const ev = (obj as Obj).Event as Obj;
  const sys = ev.System as Obj;
  const data: Obj = {};
  if (ev.EventData && typeof ev.EventData === 'object') for (const [k, v] of Object.entries(ev.EventData as Obj)) if (k !== '#attributes') data[k] = v;
  if (ev.UserData) flatten(ev.UserData, '', data);
  const time = attr(sys.TimeCreated, 'SystemTime');
  const eventId = typeof sys.EventID === 'object' ? Number((sys.EventID as Obj)['#text']) : Number(sys.EventID);
  return {
    format: 'evtx-json',
    ref: { file, record: (sys.EventRecordID as number) ?? ordinal, channel: (sys.Channel as string) ?? null, eventId },
    system: {
      provider: attr(sys.Provider, 'Name') as string, channel: sys.Channel as string, eventId,
      computer: sys.Computer as string, timeMs: typeof time === 'string' ? Date.parse(time) : undefined,
      recordId: sys.EventRecordID as number, userId: attr(sys.Security, 'UserID') as string | undefined,
    },
    data,
  };
}

export interface RegressionCase { dir: string; ruleId: string; title: string; matchCount: number | null; records: RawRecord[] }

/** Every regression test folder with a .json file. */
export function regressionCases(): RegressionCase[] {
  const root = corpusPath('sigma', 'regression_data');
  const out: RegressionCase[] = [];
  const walk = (d: string): void => {
    const names = readdirSync(d).sort();
    if (names.includes('info.yml')) {
      const info = parse(readFileSync(join(d, 'info.yml'), 'utf8')) as Obj;
      const meta = (info.rule_metadata as Obj[])[0];
      const tests = (info.regression_tests_info as Obj[] | undefined) ?? [];
      const json = names.filter((n) => n.endsWith('.json'));
      const records = json.flatMap((n) => splitJson(readFileSync(join(d, n), 'utf8')).map((o, i) => toRawRecord(o, join(d, n), i)));
      const mc = tests.find((t) => typeof t.match_count === 'number')?.match_count as number | undefined;
      out.push({ dir: d.slice(root.length + 1), ruleId: String(meta.id), title: String(meta.title), matchCount: mc ?? null, records });
    }
    for (const n of names) if (statSync(join(d, n)).isDirectory()) walk(join(d, n));
  };
  walk(root);
  return out;
}

/** The SigmaHQ rule folders. */
export const SIGMA_RULE_DIRS = ['rules', 'rules-emerging-threats', 'rules-threat-hunting'].map((d) => corpusPath('sigma', d));
