/** Phase 1, reader: files and folders → YAML documents with positions. Problems are collected, never thrown. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments, isMap, isNode, isScalar, type Document } from 'yaml';
import { diag, type Diagnostic } from '../../core/index.js';
import { parseFast, type FastDoc } from '../../core/yaml-fast.js';

/** One YAML document of a rule file, as plain JS, with a way back to source positions. */
export interface RawDoc {
  file: string;
  /** 0-based index of the document in its file */
  index: number;
  value: unknown;
  line: number;
  column: number;
  /** source position of the node at `path` (falls back to the document start) */
  locate(path: (string | number)[]): { line: number; column: number };
}

/** Every `.yml`/`.yaml` file under the given files and folders, sorted, each once. */
export function listRuleFiles(paths: string[], diagnostics: Diagnostic[]): string[] {
  const out = new Set<string>();
  const walk = (p: string, isDir?: boolean): void => {
    if (isDir === undefined) {
      try { isDir = statSync(p).isDirectory(); } catch (e) {
        diagnostics.push(diag('SW4001', `cannot read ${p}: ${(e as Error).message}`, { file: p }));
        return;
      }
    }
    if (isDir) {
      // entry types from the listing itself (a stat only for links and entries of unknown type)
      const list = readdirSync(p, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const d of list) walk(join(p, d.name), d.isFile() ? false : d.isDirectory() ? true : undefined);
    } else if (/\.ya?ml$/i.test(p) || paths.includes(p)) out.add(p);
  };
  for (const p of paths) walk(p);
  return [...out].sort();
}

/** 1-based line and column of every offset of `text` (the line table is built on first use). */
function lineCounter(text: string): (offset: number) => { line: number; column: number } {
  let starts: number[] | null = null;
  return (offset) => {
    if (!starts) {
      starts = [0];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= offset) lo = mid; else hi = mid - 1; }
    return { line: lo + 1, column: offset - starts[lo] + 1 };
  };
}

/** A document of the fast reader as a RawDoc; positions as the `yaml` package reports them. */
function fastRawDoc(file: string, d: FastDoc, pos: (offset: number) => { line: number; column: number }): RawDoc {
  const start = pos(d.start);
  const locate = (path: (string | number)[]): { line: number; column: number } => {
    let parent: unknown = path.length ? d.value : null;
    for (let i = 0; i < path.length - 1 && parent !== undefined; i++) parent = child(parent, path[i]);
    const last = path[path.length - 1];
    if (parent !== null && typeof parent === 'object') {
      const offs = d.offsets.get(parent);
      if (offs instanceof Map) { const o = typeof last === 'string' ? offs.get(last) : undefined; if (o !== undefined) return pos(o); }
      else if (offs) { const k = typeof last === 'string' ? Number(last) : last; const o = Number.isInteger(k) && k >= 0 ? offs[k] : undefined; if (o !== undefined) return pos(o); }
    }
    return start;
  };
  return { file, index: d.index, value: d.value, line: start.line, column: start.column, locate };
}

/** The child of a parsed map or sequence, as `yaml`'s `getIn` finds it (undefined when there is none). */
function child(v: unknown, k: string | number): unknown {
  if (Array.isArray(v)) { const i = typeof k === 'string' ? Number(k) : k; return Number.isInteger(i) && i >= 0 ? v[i] as unknown : undefined; }
  if (v !== null && typeof v === 'object' && typeof k === 'string' && Object.prototype.hasOwnProperty.call(v, k)) return (v as Record<string, unknown>)[k];
  return undefined;
}

/** Parses one file into documents; YAML errors become SW4001 diagnostics located at the error. */
export function readRuleFile(file: string, text: string, diagnostics: Diagnostic[]): RawDoc[] {
  const fast = parseFast(text);
  if (fast) {
    const pos = lineCounter(text);
    return fast.map((d) => fastRawDoc(file, d, pos));
  }
  return readRuleFileYaml(file, text, diagnostics);
}

/** `readRuleFile` with the `yaml` package (any YAML; the fast reader's fallback and reference). */
export function readRuleFileYaml(file: string, text: string, diagnostics: Diagnostic[]): RawDoc[] {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  const list: Document.Parsed[] = Array.isArray(docs) ? docs : [];
  const out: RawDoc[] = [];
  list.forEach((doc, index) => {
    if (doc.errors.length) {
      const e = doc.errors[0];
      const p = lc.linePos(e.pos[0]);
      diagnostics.push(diag('SW4001', `YAML: ${e.message.split('\n')[0]}`, { file, line: p.line, column: p.col }));
      return;
    }
    const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (value === null || value === undefined) return;
    const start = doc.contents && isNode(doc.contents) && doc.contents.range ? lc.linePos(doc.contents.range[0]) : { line: 1, col: 1 };
    const locate = (path: (string | number)[]): { line: number; column: number } => {
      const parent = path.length ? doc.getIn(path.slice(0, -1), true) : null;
      if (isMap(parent)) {
        const pair = parent.items.find((it) => isScalar(it.key) && it.key.value === path[path.length - 1]);
        if (pair && isNode(pair.key) && pair.key.range) { const p = lc.linePos(pair.key.range[0]); return { line: p.line, column: p.col }; }
      }
      const node = doc.getIn(path, true);
      if (isNode(node) && node.range) { const p = lc.linePos(node.range[0]); return { line: p.line, column: p.col }; }
      return { line: start.line, column: start.col };
    };
    out.push({ file, index, value, line: start.line, column: start.col, locate });
  });
  return out;
}

/** Reads every rule file under `paths`. */
export function readRules(paths: string[], diagnostics: Diagnostic[]): { files: string[]; docs: RawDoc[][] } {
  const files = listRuleFiles(paths, diagnostics);
  const docs = files.map((f) => {
    try { return readRuleFile(f, readFileSync(f, 'utf8'), diagnostics); } catch (e) {
      diagnostics.push(diag('SW4001', `cannot read ${f}: ${(e as Error).message}`, { file: f }));
      return [];
    }
  });
  return { files, docs };
}
