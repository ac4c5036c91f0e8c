/**
 * Expands what the user named (files, folders, `-`) into Inputs: folders recursively in sorted order,
 * `.gz` files decompressed on the fly, `.zip` archives entry by entry (nested archives one level deep),
 * each with a decompression limit, because archive contents are attacker-controlled.
 */
import { createReadStream, readdirSync, statSync, type Dirent } from 'node:fs';
import { basename, join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { diag, type Diagnostic } from '../core/index.js';
import { limited, once, type Expanded } from './streams.js';
import { zipEntries } from './zip.js';

export interface ExpandOptions {
  /** bytes one decompressed file or entry may reach; the rest is cut with SW1007 (default 4 GiB) */
  maxDecompressed?: number;
}
export type { Expanded };

const DEFAULT_MAX = 4 * 1024 ** 3;
/** Files met while walking a folder that are documentation, rules or metadata, never telemetry. */
const SKIP_IN_FOLDERS = /(^(readme|license|licence|copying|notice|changelog)(\.[a-z]+)?$)|\.(md|markdown|rst|ya?ml|pdf|png|jpe?g|gif|svg|html?|py|ps1|sh)$/i;

/** Walks `paths` and yields each readable input (or a diagnostic for what cannot be read). */
export async function* expandInputs(paths: string[], opts: ExpandOptions = {}): AsyncGenerator<Expanded> {
  const max = opts.maxDecompressed ?? DEFAULT_MAX;
  for (const p of paths) {
    if (p === '-') {
      yield { input: { name: '-', open: once(() => process.stdin) } };
      continue;
    }
    yield* expandPath(p, max);
  }
}

/** What a walk meets: a file to read, or a diagnostic (skipped by name, cannot read, cannot list). */
export type WalkItem = { file: string; diagnostic?: undefined } | { file?: undefined; diagnostic: Diagnostic };

/**
 * The files under one path, folders depth-first in sorted order, synchronously and with an explicit
 * stack (nested async generators, one per folder level, cost a promise hop per level for every file),
 * and without a stat for what readdir's entry types already tell. Listing 15,400 files this way is
 * what a parallel hunt's workers wait for before they start.
 */
export function* walkPath(root: string): Generator<WalkItem> {
  // each pending entry: a path and whether readdir said it is a folder (undefined: stat it)
  const stack: [string, boolean | undefined][] = [[root, undefined]];
  while (stack.length) {
    const [p, dir] = stack.pop()!;
    // what a folder holds is skipped by name (documentation, rules, metadata); what was named, never
    if (p !== root && SKIP_IN_FOLDERS.test(basename(p))) {
      yield { diagnostic: diag('SW1011', 'not telemetry (by name); name the file to read it anyway', { file: p }) };
      continue;
    }
    let isDir = dir;
    if (isDir === undefined) {
      try {
        const st = statSync(p);
        if (!st.isDirectory() && !st.isFile()) continue;
        isDir = st.isDirectory();
      } catch (e) {
        yield { diagnostic: diag('SW1001', `cannot read: ${(e as Error).message}`, { file: p }) };
        continue;
      }
    }
    if (!isDir) {
      yield { file: p };
      continue;
    }
    let entries: Dirent[];
    try {
      entries = readdirSync(p, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    } catch (e) {
      yield { diagnostic: diag('SW1001', `cannot list folder: ${(e as Error).message}`, { file: p }) };
      continue;
    }
    // pushed in reverse so they come off the stack in sorted order; links and odd types are stat'ed
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i];
      stack.push([join(p, e.name), e.isDirectory() ? true : e.isFile() ? false : undefined]);
    }
  }
}

async function* expandPath(root: string, max: number): AsyncGenerator<Expanded> {
  for (const w of walkPath(root)) {
    if (w.diagnostic) {
      yield w;
      continue;
    }
    const p = w.file;
    const lower = p.toLowerCase();
    if (lower.endsWith('.zip')) {
      yield* zipEntries(p, max);
    } else if (lower.endsWith('.gz')) {
      yield { input: { name: p, open: () => limited(createReadStream(p).pipe(createGunzip()), max, p) } };
    } else {
      let size: number;
      try {
        size = statSync(p).size;
      } catch (e) {
        yield { diagnostic: diag('SW1001', `cannot read: ${(e as Error).message}`, { file: p }) };
        continue;
      }
      yield { input: { name: p, path: p, size, open: () => createReadStream(p, { highWaterMark: 1 << 20 }) } };
    }
  }
}
