/** Phase 1, reader: files and folders → YAML documents with positions. Problems are collected, never thrown. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments, isMap, isNode, isScalar, type Document } from 'yaml';
import { diag, type Diagnostic } from '../../core/index.js';

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
  const walk = (p: string): void => {
    let st;
    try { st = statSync(p); } catch (e) {
      diagnostics.push(diag('SW4001', `cannot read ${p}: ${(e as Error).message}`, { file: p }));
      return;
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) walk(join(p, name));
    } else if (/\.ya?ml$/i.test(p) || paths.includes(p)) out.add(p);
  };
  for (const p of paths) walk(p);
  return [...out].sort();
}

/** Parses one file into documents; YAML errors become SW4001 diagnostics located at the error. */
export function readRuleFile(file: string, text: string, diagnostics: Diagnostic[]): RawDoc[] {
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
