/** The loader: reader → collector → compiler, then routability and reference checks. Never throws. */
import { readFileSync, statSync } from 'node:fs';
import { diag, type Diagnostic } from '../../core/index.js';
import { defaultCacheDir, RuleCache, type CachedEntry } from './cache.js';
import { collect, type RuleDoc } from './collector.js';
import { compileAggregated } from './compiler/aggregation.js';
import { CompileError } from './compiler/errors.js';
import { compileFilter, compileRule, readLogsource } from './compiler/rule.js';
import { Settler } from './compiler/settle.js';
import { compileCorrelation } from './correlation/compile.js';
import { listRuleFiles, readRuleFile } from './reader.js';
import { loadPipelines, logsourceMatches, type Pipelines } from './runtime/pipeline.js';
import type { CompiledItem, LoadOptions, LoadResult, Logsource, RuleListing } from './types.js';

const lsText = (ls: Logsource): string => Object.entries(ls).map(([k, v]) => `${k}=${v}`).join(', ') || 'none';

/** True when some reader's view can feed a rule of this logsource. */
export function routable(p: Pipelines, ls: Logsource): boolean {
  return p.views.some((v) => logsourceMatches(ls, v.logsource));
}

/** Loads of fewer files than this are not cached (they are quick, and tests load many one-off files). */
const CACHE_MIN_FILES = 20;

type Entry = CachedEntry;

function compileDoc(d: RuleDoc, opts: LoadOptions, diagnostics: Diagnostic[]): Entry {
  const b = d.body;
  const listing: RuleListing = {
    id: typeof b.id === 'string' ? b.id : '', title: typeof b.title === 'string' ? b.title : '', path: d.doc.file,
    level: typeof b.level === 'string' ? b.level : '', status: typeof b.status === 'string' ? b.status : '',
    logsource: readLogsource(b.logsource), loaded: false,
  };
  try {
    if (d.kind === 'invalid') throw new CompileError(d.reason ?? 'invalid document');
    const ph = opts.placeholders ?? {};
    const agg = d.kind === 'rule' ? compileAggregated(d, ph) : null;
    if (agg) {
      // a deprecated `| count() by …` condition: loaded as a correlation over a hidden base rule
      listing.loaded = true;
      listing.reason = agg.note;
      const at = d.doc.locate(['detection', 'condition']);
      diagnostics.push(diag('SW4008', agg.note, { file: d.doc.file, line: at.line, column: at.column }, listing.id || undefined));
      return { item: agg.correlation, base: agg.base, listing, line: d.doc.line, column: d.doc.column };
    }
    const item = d.kind === 'rule' ? compileRule(d, ph) : d.kind === 'filter' ? compileFilter(d, ph) : compileCorrelation(d);
    listing.loaded = true;
    return { item, listing, line: d.doc.line, column: d.doc.column };
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    const at = d.doc.locate(e.path);
    listing.reason = e.message;
    diagnostics.push(diag('SW4001', e.message, { file: d.doc.file, line: at.line, column: at.column }, listing.id || undefined));
    return { item: null, listing, line: d.doc.line, column: d.doc.column };
  }
}

function fail(en: Entry, code: 'SW4001' | 'SW4005', reason: string, diagnostics: Diagnostic[]): void {
  en.listing.loaded = false;
  en.listing.reason = reason;
  en.item = null;
  en.base = undefined;
  diagnostics.push(diag(code, reason, { file: en.listing.path, line: en.line, column: en.column }, en.listing.id || undefined));
}

/** Correlations and filters must reference loaded rules (by id or name). */
function checkReferences(entries: Entry[], diagnostics: Diagnostic[]): void {
  for (let pass = 0; pass < 3; pass++) {
    const known = new Set<string>();
    for (const en of entries) {
      if (en.base) known.add(en.base.id);
      if (en.item && en.item.kind !== 'filter') { known.add(en.item.id); if (en.item.name) known.add(en.item.name); }
    }
    for (const en of entries) {
      const it = en.item;
      if (!it || it.kind === 'rule') continue;
      const missing = it.rules.filter((r) => !known.has(r));
      if (it.kind === 'correlation' && missing.length) fail(en, 'SW4001', `correlation references rules that are not loaded: ${missing.join(', ')}`, diagnostics);
    }
  }
}

/** A filter naming a converted rule (by id or name) also applies to its hidden base rule. */
function filtersOnConverted(entries: Entry[]): void {
  const baseOf = new Map<string, string>();
  for (const en of entries) {
    if (!en.base || !en.item) continue;
    baseOf.set(en.item.id, en.base.id);
    if (en.item.kind === 'correlation' && en.item.name) baseOf.set(en.item.name, en.base.id);
  }
  if (!baseOf.size) return;
  for (const en of entries) {
    const f = en.item;
    if (f?.kind !== 'filter') continue;
    const extra = f.rules.map((r) => baseOf.get(r)).filter((b): b is string => b !== undefined && !f.rules.includes(b));
    if (extra.length) en.item = { ...f, rules: [...f.rules, ...extra] };
  }
}

/**
 * Reads, collects and compiles one file (its entries and diagnostics, in document order). The result
 * passes through JSON, as the compiled-rule cache would give it back: the same values, but strings
 * of their own (the compiler builds literals piece by piece, and every piece of a concatenation, or
 * the file text a substring points into, would otherwise stay alive with the rule) and objects and
 * arrays of their exact size; then equal strings and the most repeated small nodes of different
 * rules become one (`compiler/settle.ts`).
 */
function compileFile(file: string, options: LoadOptions, settler: Settler): { entries: Entry[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const docs = readRuleFile(file, readFileSync(file, 'utf8'), diagnostics);
  const r = { entries: collect(docs).map((d) => compileDoc(d, options, diagnostics)), diagnostics };
  return settler.settle(JSON.parse(JSON.stringify(r))) as typeof r;
}

function openCache(paths: string[], files: string[], options: LoadOptions): RuleCache | null {
  if (options.cache === false || files.length < CACHE_MIN_FILES) return null;
  const dir = typeof options.cache === 'string' ? options.cache : defaultCacheDir();
  const ph = options.placeholders ?? {};
  return new RuleCache(dir, paths, JSON.stringify(Object.keys(ph).sort().map((k) => [k, ph[k]])));
}

/** Every file's entries: from the cache when the file is unchanged, else compiled (and cached). */
function loadFiles(paths: string[], options: LoadOptions, diagnostics: Diagnostic[]): Entry[] {
  const files = listRuleFiles(paths, diagnostics);
  const cache = openCache(paths, files, options);
  const entries: Entry[] = [];
  const settler = new Settler();
  for (const f of files) {
    try {
      const st = cache ? statSync(f) : null;
      const hit = st ? cache?.get(f, st.mtimeMs, st.size) : undefined;
      const r = hit ?? compileFile(f, options, settler);
      if (st && !hit) cache?.set(f, { mtimeMs: st.mtimeMs, size: st.size, ...r });
      for (const e of r.entries) entries.push(e);
      for (const d of r.diagnostics) diagnostics.push(d);
    } catch (e) {
      if (e instanceof Error && 'code' in e) { diagnostics.push(diag('SW4001', `cannot read ${f}: ${e.message}`, { file: f })); continue; }
      throw e;
    }
  }
  cache?.save();
  return entries;
}

/** Loads every Sigma rule, correlation and filter under `paths` (files or folders). */
export function loadRules(paths: string[], options: LoadOptions = {}, pipelines: Pipelines = loadPipelines()): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const entries = loadFiles(paths, options, diagnostics);
  for (const en of entries) {
    const it = en.base ?? en.item;
    if (it && it.kind === 'rule' && !options.keepUnroutable && !routable(pipelines, it.logsource)) {
      fail(en, 'SW4005', `no reader produces logsource ${lsText(it.logsource)}`, diagnostics);
    }
  }
  checkReferences(entries, diagnostics);
  filtersOnConverted(entries);
  const rules: CompiledItem[] = [];
  for (const en of entries) { if (en.base) rules.push(en.base); if (en.item) rules.push(en.item); }
  return {
    rules,
    diagnostics,
    listing: entries.map((e) => e.listing),
  };
}
