/** The loader: reader → collector → compiler, then routability and reference checks. Never throws. */
import { readFileSync, statSync } from 'node:fs';
import { diag, type Diagnostic } from '../../core/index.js';
import { defaultCacheDir, RuleCache, type CachedEntry } from './cache.js';
import { collect, type RuleDoc } from './collector.js';
import { CompileError } from './compiler/errors.js';
import { compileFilter, compileRule, readLogsource } from './compiler/rule.js';
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
  diagnostics.push(diag(code, reason, { file: en.listing.path, line: en.line, column: en.column }, en.listing.id || undefined));
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

/** Reads, collects and compiles one file (its entries and diagnostics, in document order). */
function compileFile(file: string, options: LoadOptions): { entries: Entry[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const docs = readRuleFile(file, readFileSync(file, 'utf8'), diagnostics);
  return { entries: collect(docs).map((d) => compileDoc(d, options, diagnostics)), diagnostics };
}

function openCache(paths: string[], files: string[], options: LoadOptions): RuleCache | null {
  if (options.cache === false || files.length < CACHE_MIN_FILES) return null;
  const dir = typeof options.cache === 'string' ? options.cache : defaultCacheDir();
  const ph = options.placeholders ?? {};
  return new RuleCache(dir, paths, JSON.stringify(Object.keys(ph).sort().map((k) => [k, ph[k]])));
}

/** What one file produced. */
type FileResult = { entries: Entry[]; diagnostics: Diagnostic[] };

/**
 * JSON text at least this long is parsed by V8 straight into the old generation (its JSON parser's
 * pretenuring threshold, 100 KiB). Compiled results are kept for the whole run, so they are written
 * there at once instead of being copied through the young generation, which otherwise grows to its
 * largest size (+25 MB resident) while a load runs.
 */
const OLD_SPACE_JSON = 100 * 1024;
/** Compiled files are settled (passed through JSON) in batches of about this many characters. */
const BATCH_JSON = 128 * 1024;

/**
 * Compiled results pass through JSON in batches, as the compiled-rule cache would give them back:
 * the same values, with strings of their own (no piece of a file's text or of a concatenation held
 * alive), arrays of their exact length, and allocated where long-lived data belongs.
 */
class Settler {
  private json: string[] = [];
  private size = 0;
  private waiting: ((r: FileResult) => void)[] = [];

  add(r: FileResult, done: (r: FileResult) => void): void {
    const s = JSON.stringify(r);
    this.json.push(s);
    this.size += s.length;
    this.waiting.push(done);
    if (this.size >= BATCH_JSON) this.flush();
  }

  flush(): void {
    if (!this.waiting.length) return;
    let text = `[${this.json.join(',')}]`;
    if (text.length * 8 >= OLD_SPACE_JSON && text.length < OLD_SPACE_JSON) text += ' '.repeat(OLD_SPACE_JSON - text.length);
    const parsed = JSON.parse(text) as FileResult[];
    this.waiting.forEach((done, i) => done(parsed[i]));
    this.json = [];
    this.size = 0;
    this.waiting = [];
  }
}

/** Every file's entries: from the cache when the file is unchanged, else compiled (and cached). */
function loadFiles(paths: string[], options: LoadOptions, diagnostics: Diagnostic[]): Entry[] {
  const files = listRuleFiles(paths, diagnostics);
  const cache = openCache(paths, files, options);
  const results: FileResult[] = new Array<FileResult>(files.length);
  const settler = new Settler();
  files.forEach((f, i) => {
    try {
      const st = cache ? statSync(f) : null;
      const hit = st ? cache?.get(f, st.mtimeMs, st.size) : undefined;
      if (hit) { results[i] = hit; return; }
      settler.add(compileFile(f, options), (r) => {
        results[i] = r;
        if (st) cache?.set(f, { mtimeMs: st.mtimeMs, size: st.size, ...r });
      });
    } catch (e) {
      if (e instanceof Error && 'code' in e) { results[i] = { entries: [], diagnostics: [diag('SW4001', `cannot read ${f}: ${e.message}`, { file: f })] }; return; }
      throw e;
    }
  });
  settler.flush();
  const entries: Entry[] = [];
  for (const r of results) {
    for (const e of r.entries) entries.push(e);
    for (const d of r.diagnostics) diagnostics.push(d);
  }
  cache?.save();
  return entries;
}

/** Loads every Sigma rule, correlation and filter under `paths` (files or folders). */
export function loadRules(paths: string[], options: LoadOptions = {}, pipelines: Pipelines = loadPipelines()): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const entries = loadFiles(paths, options, diagnostics);
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
