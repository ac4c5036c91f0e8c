/**
 * Compiled-rule cache: what reading, collecting and compiling one rule file produced (plain data:
 * compiled items, listings, diagnostics), keyed by the file's path, mtime and size, the load options
 * and a stamp of the compiler's own files. Loading then skips YAML parsing for unchanged files; the
 * checks across files (routability, references) still run on every load. Best effort: a missing,
 * stale or unreadable cache is rebuilt, and a cache that cannot be written is ignored.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../../core/index.js';
import type { CompiledItem, CompiledRule, RuleListing } from './types.js';

/** Bump when the cached shape changes. */
const FORMAT = 2;

/**
 * One compiled document of a file. `base` is the hidden base rule of a rule whose deprecated
 * aggregation condition was converted into the correlation `item`.
 */
export interface CachedEntry { item: CompiledItem | null; base?: CompiledRule; listing: RuleListing; line: number; column: number }
/** Everything one rule file produced. */
export interface CachedFile { mtimeMs: number; size: number; entries: CachedEntry[]; diagnostics: Diagnostic[] }

interface CacheData { format: number; stamp: string; files: Record<string, CachedFile> }

const HERE = dirname(fileURLToPath(import.meta.url));

/** Sizes and mtimes of the engine's own compiler files: a changed compiler never reads an old cache. */
function codeStamp(): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name), st = statSync(p);
      if (st.isDirectory()) { if (name !== 'pipelines') walk(p); } else if (/\.[jt]s$/.test(name)) h.update(`${p}:${st.size}:${st.mtimeMs}\n`);
    }
  };
  try { walk(HERE); } catch { /* unreadable: stamp what we have */ }
  return h.digest('hex').slice(0, 16);
}

/**
 * Writes `JSON.stringify(data)`, file by file in chunks of ~256 KB: one string and one buffer of the
 * whole cache (~9 MB for SigmaHQ each) would raise the process's resident memory for good.
 */
function writeJson(path: string, data: CacheData): void {
  const fd = openSync(path, 'w');
  try {
    let chunk = `{"format":${JSON.stringify(data.format)},"stamp":${JSON.stringify(data.stamp)},"files":{`;
    let first = true;
    for (const [k, v] of Object.entries(data.files)) {
      chunk += `${first ? '' : ','}${JSON.stringify(k)}:${JSON.stringify(v)}`;
      first = false;
      if (chunk.length >= 256 * 1024) { writeSync(fd, chunk); chunk = ''; }
    }
    writeSync(fd, `${chunk}}}`);
  } finally {
    closeSync(fd);
  }
}

/** The default cache folder (SHELLWATCH_CACHE_DIR, else the system temporary folder). */
export function defaultCacheDir(): string {
  return process.env.SHELLWATCH_CACHE_DIR || join(tmpdir(), 'shellwatch-sigma-cache');
}

/** A cache for one load (one list of paths with one set of options). */
export class RuleCache {
  private readonly file: string;
  private readonly stamp = codeStamp();
  private old: Record<string, CachedFile> = {};
  private readonly next: Record<string, CachedFile> = {};
  private dirty = false;

  constructor(dir: string, paths: string[], optionsKey: string) {
    const key = createHash('sha256').update(JSON.stringify([FORMAT, [...paths].sort(), optionsKey])).digest('hex').slice(0, 24);
    this.file = join(dir, `rules-${key}.json`);
    try {
      const data = JSON.parse(readFileSync(this.file, 'utf8')) as CacheData;
      if (data.format === FORMAT && data.stamp === this.stamp) this.old = data.files;
    } catch { /* no cache yet */ }
  }

  /** The cached result for `path` when its mtime and size are unchanged. */
  get(path: string, mtimeMs: number, size: number): CachedFile | undefined {
    const c = this.old[path];
    if (!c || c.mtimeMs !== mtimeMs || c.size !== size) { this.dirty = true; return undefined; }
    this.next[path] = c;
    return c;
  }

  set(path: string, value: CachedFile): void { this.next[path] = value; this.dirty = true; }

  /** Writes the cache when something changed (files added, changed or gone); errors are ignored. */
  save(): void {
    if (!this.dirty && Object.keys(this.old).length === Object.keys(this.next).length) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeJson(tmp, { format: FORMAT, stamp: this.stamp, files: this.next });
      renameSync(tmp, this.file);
    } catch { /* read-only or full disk: run uncached */ }
  }
}
