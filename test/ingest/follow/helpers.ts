/** Shared pieces of the follow tests: in-memory ports and stores, polling with deadlines, temp dirs. */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BusyError, type AcceptResult, type Delivery, type Diagnostic, type IngestPort, type RawRecord } from '../../../src/core/index.js';
import type { PositionStore } from '../../../src/ingest/follow/index.js';
import { about, waitFor as wait } from '../../helpers/wait.js';

/** A PositionStore in memory. */
export class MemoryPositions implements PositionStore {
  readonly map = new Map<string, string>();
  async get(name: string): Promise<string | null> { return this.map.get(name) ?? null; }
  async set(name: string, value: string): Promise<void> { this.map.set(name, value); }
}

/** An IngestPort keeping what it accepted; `busy` answers BusyError that many times first. */
export class MemoryPort implements IngestPort {
  readonly records: RawRecord[] = [];
  readonly deliveries: { n: number; from: Delivery }[] = [];
  readonly diagnostics: Diagnostic[] = [];
  calls = 0;
  constructor(public busy = 0, private readonly retryAfterS = 0.05) {}
  async accept(records: RawRecord[], from: Delivery): Promise<AcceptResult> {
    this.calls++;
    if (this.busy > 0) { this.busy--; throw new BusyError(this.retryAfterS); }
    this.records.push(...records);
    this.deliveries.push({ n: records.length, from });
    return { accepted: records.length, duplicates: 0 };
  }
  report(d: Diagnostic): void { this.diagnostics.push(d); }
  dropped(): void { /* never in follow */ }
  codes(): string[] { return this.diagnostics.map((d) => d.code); }
}

/** Polls `cond` every 20 ms until it holds, about `ms` of polls at most (test/helpers/wait.ts). */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  await wait(what, async () => (await cond()) || undefined, about(ms, 20));
}

/** A fresh temp dir and its cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sw-follow-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The content key the store deduplicates by: a hash of the record (provenance within the file included, not the delivery). */
export function contentKey(r: RawRecord): string {
  const { stream: _s, sender: _d, seq: _q, ...ref } = r.ref;
  return createHash('sha256').update(JSON.stringify({ format: r.format, ref, system: r.system, data: r.data })).digest('hex');
}

/** One synthetic auditd execve event (SYSCALL, EXECVE, CWD, PROCTITLE, and EOE when `eoe`), serial `n`. */
export function auditEvent(n: number, eoe: boolean): string {
  const id = `${1700000000 + Math.floor(n / 1000)}.${String(n % 1000).padStart(3, '0')}:${n}`;
  const lines = [
    `type=SYSCALL msg=audit(${id}): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=100 pid=${1000 + n} auid=1000 uid=0 gid=0 euid=0 tty=pts1 ses=3 comm="sh" exe="/bin/sh" key="exec"`,
    `type=EXECVE msg=audit(${id}): argc=3 a0="sh" a1="-c" a2="echo ${n}"`,
    `type=CWD msg=audit(${id}): cwd="/tmp"`,
    `type=PROCTITLE msg=audit(${id}): proctitle=7368002D63`,
  ];
  if (eoe) lines.push(`type=EOE msg=audit(${id}): `);
  return lines.map((l) => l + '\n').join('');
}
