/**
 * Planning a parallel hunt: the plain files under the inputs, one work item per folder (collections
 * keep one host's logs together: KAPE, Velociraptor and winevt\\Logs copies are per host), each item
 * sized by the records its files hold, estimated from EVTX headers (file sizes say little: a 1 MiB
 * EVTX file may hold ten records or two thousand). Reading each file's first record to group by host
 * cost as much as the hunt itself on folders of small EVTX files.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Diagnostic } from '../core/index.js';
import { walkPath } from '../ingest/inputs.js';
// the header alone, not the reader: the calling process of a parallel hunt never parses EVTX
import { estimateEvtxRecords, HEADER_SIZE } from '../ingest/evtx/header.js';

/** One folder's files (in input order), with their ranks in the input order and their records. */
export interface WorkItem { files: string[]; ranks: number[]; records: number }

export interface PlanResult {
  /** one per folder: the large ones first (largest first), then the others in input order */
  items: WorkItem[];
  /** archives and compressed files: read by the calling process */
  rest: string[];
  /** every plain file, in input order */
  files: string[];
  records: number;
  /** what the walk met instead of files (skipped by name, unreadable) */
  diagnostics: Diagnostic[];
}

/**
 * Below this many records (estimated) `--threads auto` stays on one thread. Measured on 2 cores with
 * worker processes: each worker pays for its own start (Node and the pipeline, ~0.1-0.2 s) and its
 * own JIT warm-up, so two workers are on a par with one unpinned thread at ~77,000 events (0.94x),
 * ~1.2x at ~230,000, ~1.6x at 766,000 (docs/evtx.md).
 */
export const PARALLEL_MIN_RECORDS = 150_000;

/** A folder with at least 1/BIG_SHARE of all records is handed out first. */
const BIG_SHARE = 16;

/** Records a plain file holds, roughly: EVTX from its headers, anything else ~1 per 500 bytes. */
function estimateRecords(path: string, head: Buffer): number {
  let n = 0;
  try {
    const fd = openSync(path, 'r');
    try {
      n = readSync(fd, head, 0, head.length, 0);
      return estimateEvtxRecords(head.subarray(0, n)) ?? Math.ceil(fstatSync(fd).size / 500);
    } finally { closeSync(fd); }
  } catch { return 0; }
}

/** Plain files found under `paths` as work items (archives, .gz and stdin are left to the caller). */
export function planParallel(paths: string[]): PlanResult {
  const files: string[] = [];
  const rest = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const p of paths) {
    for (const w of walkPath(p)) {
      if (w.diagnostic) diagnostics.push(w.diagnostic);
      else if (/\.(zip|gz)$/i.test(w.file)) rest.add(w.file);
      else files.push(w.file);
    }
  }
  const byFolder = new Map<string, WorkItem>();
  const head = Buffer.alloc(HEADER_SIZE + 32);
  let records = 0;
  files.forEach((f, rank) => {
    const dir = dirname(f);
    let item = byFolder.get(dir);
    if (!item) byFolder.set(dir, (item = { files: [], ranks: [], records: 0 }));
    const n = estimateRecords(f, head);
    item.files.push(f);
    item.ranks.push(rank);
    item.records += n;
    records += n;
  });
  // A folder that holds a good share of everything goes first, so none is left alone at the end; the
  // others in input order. Measured: hunting the folders largest first instead took 4-7 % longer at
  // x100 (the workload changes from big files of one kind to small ones of another at the end; in
  // input order, consecutive folders are alike and the JIT's feedback stays good).
  const big = (i: WorkItem) => i.records * BIG_SHARE >= records;
  const all = [...byFolder.values()];
  const items = [...all.filter(big).sort((a, b) => b.records - a.records || a.ranks[0] - b.ranks[0]), ...all.filter((i) => !big(i))];
  return { items, rest: [...rest], files, records, diagnostics };
}
