/**
 * The follower as a process, for the kill -9 test: positions in a JSON file (written to a temporary
 * file, fsync'ed, renamed over), records appended to an NDJSON file and fsync'ed before accept()
 * resolves: what a durable store does. SIGTERM closes it cleanly.
 * Usage: node --import tsx child.ts LOG POSITIONS.json OUT.ndjson
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import type { AcceptResult, Diagnostic, IngestPort, RawRecord } from '../../../src/core/index.js';
import { startFollow, type PositionStore } from '../../../src/ingest/follow/index.js';

const [log, posFile, outFile] = process.argv.slice(2);

class FilePositions implements PositionStore {
  private map: Record<string, string>;
  constructor(private readonly file: string) {
    try { this.map = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>; } catch { this.map = {}; }
  }
  async get(name: string): Promise<string | null> { return this.map[name] ?? null; }
  async set(name: string, value: string): Promise<void> {
    this.map[name] = value;
    const tmp = `${this.file}.tmp`;
    const fd = openSync(tmp, 'w');
    writeSync(fd, JSON.stringify(this.map));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.file);
  }
}

const out = openSync(outFile, 'a');
const port: IngestPort = {
  async accept(records: RawRecord[]): Promise<AcceptResult> {
    writeSync(out, records.map((r) => JSON.stringify(r) + '\n').join(''));
    fsyncSync(out);
    return { accepted: records.length, duplicates: 0 };
  },
  report(d: Diagnostic) { process.stderr.write(`${d.code} ${d.message}\n`); },
  dropped() { /* not used */ },
};

const follower = await startFollow([log], port, new FilePositions(posFile), { pollMs: 50, quietMs: 1000, batchMax: 200 });
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void follower.close().then(() => process.exit(0));
});
