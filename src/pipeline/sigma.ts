/**
 * Sigma in the hunt: rules loaded from the user's paths, evaluated on every event's raw record after
 * lineage (so alerts carry ancestors like built-in ones), matches turned into alerts with
 * `rule.source = "sigma"`. Correlation matches arrive with the record that completed them, or at the
 * end of input for windows decided by an upper bound.
 */
import { readFileSync } from 'node:fs';
import { alertProcess, alertSession, diag, isoTime, levelRank, type Alert, type Diagnostic, type Level, type RawRecord, type ShellEvent, parseYaml } from '../core/index.js';
import { createEngine, loadRules, type CompiledItem, type RuleListing, type SigmaEngine, type SigmaMatch } from '../detect/sigma/index.js';
import { toAlert } from './alerts.js';

export interface SigmaSetup {
  engine: SigmaEngine;
  listing: RuleListing[];
  diagnostics: Diagnostic[];
  rules: CompiledItem[];
}

/**
 * Values for the `expand` modifier's placeholders (`%Admins%` → a list), from a YAML map of name → list
 * (the names with or without %). Problems are diagnostics.
 */
export function loadPlaceholders(path: string): { placeholders: Record<string, string[]>; diagnostics: Diagnostic[] } {
  try {
    const doc = parseYaml(readFileSync(path, 'utf8')) as unknown;
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('expected a map of placeholder name to a list of values');
    const out: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(doc as Record<string, unknown>)) out[k.replace(/^%|%$/g, '')] = (Array.isArray(v) ? v : [v]).map(String);
    return { placeholders: out, diagnostics: [] };
  } catch (e) {
    return { placeholders: {}, diagnostics: [diag('SW4001', `placeholders file not used: ${(e as Error).message}`, { file: path })] };
  }
}

/** Loads every rule under `paths` and builds the engine. Never throws: problems are diagnostics. */
export function setupSigma(paths: string[], placeholders?: Record<string, string[]>): SigmaSetup {
  const { rules, diagnostics, listing } = loadRules(paths, { placeholders });
  return { engine: createEngine(rules), listing, diagnostics, rules };
}

/**
 * The raw record an event was normalized from, plus what lineage learned, so Sigma rules can ask for
 * ancestry at any depth: `AncestorImage` and `AncestorCommandLine` list every ancestor (parent first),
 * e.g. `AncestorImage|endswith: '\\w3wp.exe'` matches a shell however far below IIS.
 */
export function rawOf(ev: ShellEvent): RawRecord {
  const anc = ev.kind === 'process_start' || ev.kind === 'network' ? ev.ancestors : undefined;
  const data = anc?.length
    ? { ...ev.raw, AncestorImage: anc.map((a) => a.image ?? ''), AncestorCommandLine: anc.map((a) => a.commandLine ?? '') }
    : ev.raw;
  return { format: ev.format ?? 'json', ref: ev.event, system: ev.system ?? {}, data };
}

function reason(m: SigmaMatch): string {
  const shown = Object.entries(m.fields).slice(0, 4).map(([k, v]) => `${k}=${String(Array.isArray(v) ? v.join(',') : v).slice(0, 120)}`);
  if (m.rule.kind === 'correlation') {
    const g = Object.entries(m.group ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(', ');
    return `Sigma correlation "${m.rule.title}": ${m.count ?? '?'} events${g ? ` for ${g}` : ''}`;
  }
  return `Sigma rule "${m.rule.title}" matched${shown.length ? `: ${shown.join('; ')}` : ''}`;
}

/** Filters on level and status shared by the hunt and `rules test`. */
export interface SigmaFilter { minLevel?: Level; statuses?: string[] }

export function keep(m: SigmaMatch, f: SigmaFilter): boolean {
  if (f.minLevel && levelRank(m.rule.level) < levelRank(f.minLevel)) return false;
  if (f.statuses?.length && !f.statuses.includes(m.rule.status)) return false;
  return true;
}

/** An alert for a Sigma match on `ev` (or, for end-of-input correlations, on no event). */
export function sigmaAlert(m: SigmaMatch, ev: ShellEvent | undefined): Alert {
  const evidence: Record<string, unknown> = { fields: m.fields, status: m.rule.status, tags: m.rule.tags };
  if (m.group) evidence.group = m.group;
  if (m.count !== undefined) evidence.count = m.count;
  const det = { id: m.rule.id, title: m.rule.title, level: m.rule.level, techniques: m.rule.techniques, description: '', detect: () => [] };
  if (ev) return toAlert(det, ev, { reason: reason(m), evidence }, 'sigma');
  const none = alertProcess(undefined);
  return {
    rule: { id: m.rule.id, title: m.rule.title, level: m.rule.level, source: 'sigma', techniques: [...m.rule.techniques] },
    time: m.timeMs !== undefined ? isoTime(m.timeMs) : '', host: String(m.group?.Computer ?? m.group?.Hostname ?? ''), user: null,
    process: none, parent: none, ancestors: [], session: alertSession(undefined), baseline: null, reason: reason(m), decoded: [],
    event: { file: '', record: null, channel: null, eventId: null }, evidence,
  };
}
