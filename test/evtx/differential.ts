// Runs the differential comparison of every corpus .evtx against evtxexport; shared by the test
// and by anyone who wants the full report (`node --import tsx test/evtx/differential.ts`).
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import type { RawRecord } from '../../src/core/index.js';
import { parseEvtxBuffer } from '../../src/ingest/evtx/index.js';
import { corpusPath } from '../helpers/corpus.js';
import { diffRecord } from './compare.js';
import { mapLimit, referenceRecords } from './reference.js';

export interface FileReport {
  file: string;
  ours: number;
  ref: number;
  refOk: boolean;
  diagnostics: string[];
  diffs: string[];
}

/** Every .evtx under the corpus, sorted. */
export function corpusEvtxFiles(): string[] {
  const out = execFileSync('find', [corpusPath(), '-name', '*.evtx', '-type', 'f'], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).sort();
}

/** Compares one file; the reference must be a prefix of ours when evtxexport failed part-way. */
export async function compareFile(file: string): Promise<FileReport> {
  const { records: refs, ok } = await referenceRecords(file);
  const ours: RawRecord[] = [];
  const diagnostics: string[] = [];
  for (const batch of parseEvtxBuffer(readFileSync(file), file)) {
    for (const r of batch) {
      if (r.record) ours.push(r.record);
      else diagnostics.push(`${r.diagnostic.code} ${r.diagnostic.message}`);
    }
  }
  const diffs: string[] = [];
  if (ok && ours.length !== refs.length) diffs.push(`record count: ours ${ours.length} ref ${refs.length}`);
  const n = Math.min(ours.length, refs.length);
  for (let i = 0; i < n; i++) for (const d of diffRecord(ours[i], refs[i])) diffs.push(`record #${i} (id ${refs[i].recordId}): ${d}`);
  if (!ok && ours.length < refs.length) diffs.push(`record count: ours ${ours.length} < ref prefix ${refs.length}`);
  return { file, ours: ours.length, ref: refs.length, refOk: ok, diagnostics, diffs };
}

/** Compares all corpus files, running evtxexport two at a time. */
export async function compareCorpus(files = corpusEvtxFiles()): Promise<FileReport[]> {
  await mapLimit(files, 2, (f) => referenceRecords(f).then(() => undefined));
  return mapLimit(files, 1, compareFile);
}

if (process.argv[1]?.endsWith('differential.ts')) {
  const reports = await compareCorpus();
  let recs = 0;
  let diffs = 0;
  for (const r of reports) {
    recs += r.ref;
    diffs += r.diffs.length;
    if (r.diffs.length || !r.refOk || r.diagnostics.length) {
      console.log(`== ${r.file.replace(corpusPath(), '')} ours=${r.ours} ref=${r.ref}${r.refOk ? '' : ' (evtxexport failed)'}`);
      for (const d of r.diagnostics.slice(0, 5)) console.log('  diag ' + d);
      for (const d of r.diffs.slice(0, 8)) console.log('  ' + d);
    }
  }
  console.log(`files ${reports.length} ref records ${recs} diffs ${diffs}`);
}
