// Shared by the regex tests: every regex of the SigmaHQ and Hayabusa rules, and every distinct string
// value of the regression events (what those regexes are run against).
import { loadRules, type CompiledItem } from '../../../src/detect/sigma/index.js';
import type { Search, ValueTest } from '../../../src/detect/sigma/types.js';
import { corpusPath } from '../../helpers/corpus.js';
import { regressionCases, SIGMA_RULE_DIRS } from './regression.js';

/** The distinct regexes (pattern and flags) the rules' searches and filters hold, `not` included. */
export function regexesOf(items: CompiledItem[]): { pattern: string; flags: string }[] {
  const out = new Map<string, { pattern: string; flags: string }>();
  const val = (v: ValueTest): void => { if (v.t === 're') out.set(`${v.flags}/${v.pattern}`, { pattern: v.pattern, flags: v.flags }); else if (v.t === 'not') val(v.test); };
  const walk = (s: Search): void => { if (s.t === 'field') s.test.values.forEach(val); else s.items.forEach(walk); };
  for (const it of items) if (it.kind === 'rule' || it.kind === 'filter') Object.values(it.searches).forEach(walk);
  return [...out.values()];
}

/** Every regex of the SigmaHQ and Hayabusa rules. */
export function ruleRegexes(): { pattern: string; flags: string }[] {
  return regexesOf(loadRules([...SIGMA_RULE_DIRS, corpusPath('hayabusa-rules')]).rules);
}

/** Every distinct string value (nested ones too) of the regression suite's events. */
export function regressionStrings(): string[] {
  const strs = new Set<string>();
  const add = (v: unknown): void => { if (typeof v === 'string') strs.add(v); else if (Array.isArray(v)) v.forEach(add); else if (v && typeof v === 'object') Object.values(v).forEach(add); };
  for (const c of regressionCases()) for (const r of c.records) add(r.data);
  return [...strs];
}
