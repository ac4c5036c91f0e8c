/** The loader: reader → collector → compiler, then routability and reference checks. Never throws. */
import { diag, type Diagnostic } from '../../core/index.js';
import { collect, type RuleDoc } from './collector.js';
import { CompileError } from './compiler/errors.js';
import { compileFilter, compileRule, readLogsource } from './compiler/rule.js';
import { compileCorrelation } from './correlation/compile.js';
import { readRules } from './reader.js';
import { loadPipelines, logsourceMatches, type Pipelines } from './runtime/pipeline.js';
import type { CompiledItem, LoadOptions, LoadResult, Logsource, RuleListing } from './types.js';

const lsText = (ls: Logsource): string => Object.entries(ls).map(([k, v]) => `${k}=${v}`).join(', ') || 'none';

/** True when some reader's view can feed a rule of this logsource. */
export function routable(p: Pipelines, ls: Logsource): boolean {
  return p.views.some((v) => logsourceMatches(ls, v.logsource));
}

interface Entry { item: CompiledItem | null; listing: RuleListing; doc: RuleDoc }

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
    const item = d.kind === 'rule' ? compileRule(d, ph) : d.kind === 'filter' ? compileFilter(d, ph) : compileCorrelation(d);
    listing.loaded = true;
    return { item, listing, doc: d };
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    const at = d.doc.locate(e.path);
    listing.reason = e.message;
    diagnostics.push(diag('SW4001', e.message, { file: d.doc.file, line: at.line, column: at.column }, listing.id || undefined));
    return { item: null, listing, doc: d };
  }
}

function fail(en: Entry, code: 'SW4001' | 'SW4005', reason: string, diagnostics: Diagnostic[]): void {
  en.listing.loaded = false;
  en.listing.reason = reason;
  en.item = null;
  diagnostics.push(diag(code, reason, { file: en.doc.doc.file, line: en.doc.doc.line, column: en.doc.doc.column }, en.listing.id || undefined));
}

/** Correlations and filters must reference loaded rules (by id or name). */
function checkReferences(entries: Entry[], diagnostics: Diagnostic[]): void {
  for (let pass = 0; pass < 3; pass++) {
    const known = new Set<string>();
    for (const en of entries) if (en.item && en.item.kind !== 'filter') { known.add(en.item.id); if (en.item.name) known.add(en.item.name); }
    for (const en of entries) {
      const it = en.item;
      if (!it || it.kind === 'rule') continue;
      const missing = it.rules.filter((r) => !known.has(r));
      if (it.kind === 'correlation' && missing.length) fail(en, 'SW4001', `correlation references rules that are not loaded: ${missing.join(', ')}`, diagnostics);
    }
  }
}

/** Loads every Sigma rule, correlation and filter under `paths` (files or folders). */
export function loadRules(paths: string[], options: LoadOptions = {}, pipelines: Pipelines = loadPipelines()): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const { docs } = readRules(paths, diagnostics);
  const entries: Entry[] = [];
  for (const fileDocs of docs) for (const d of collect(fileDocs)) entries.push(compileDoc(d, options, diagnostics));
  for (const en of entries) {
    const it = en.item;
    if (it && it.kind === 'rule' && !options.keepUnroutable && !routable(pipelines, it.logsource)) {
      fail(en, 'SW4005', `no reader produces logsource ${lsText(it.logsource)}`, diagnostics);
    }
  }
  checkReferences(entries, diagnostics);
  return {
    rules: entries.map((e) => e.item).filter((i): i is CompiledItem => i !== null),
    diagnostics,
    listing: entries.map((e) => e.listing),
  };
}
