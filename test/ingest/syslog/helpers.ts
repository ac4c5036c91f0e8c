// Shared by the syslog tests: an IngestPort that records what it commits (with a simulated commit
// delay, a number of BusyError refusals, or a gate that holds every commit until opened), and polling.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BusyError, type AcceptResult, type Delivery, type Diagnostic, type IngestPort, type RawRecord } from '../../../src/core/index.js';
import { about, waitFor } from '../../helpers/wait.js';

export interface Committed {
  records: RawRecord[];
  from: Delivery;
}

/** A test IngestPort: `commitMs` per accept, `busy` refusals first, `gate` closed = accept waits. */
export class TestPort implements IngestPort {
  readonly committed: Committed[] = [];
  readonly diagnostics: { d: Diagnostic; from: Delivery }[] = [];
  readonly drops: { n: number; from: Delivery; why: string }[] = [];
  calls = 0;
  busyRefusals = 0;
  inFlight = 0;
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;

  constructor(private readonly opts: { commitMs?: number; busy?: number; retryAfterS?: number } = {}) {}

  async accept(records: RawRecord[], from: Delivery): Promise<AcceptResult> {
    this.calls++;
    if (this.busyRefusals < (this.opts.busy ?? 0)) {
      this.busyRefusals++;
      throw new BusyError(this.opts.retryAfterS ?? 0.01);
    }
    this.inFlight++;
    try {
      if (this.gate) await this.gate;
      if (this.opts.commitMs) await new Promise((r) => setTimeout(r, this.opts.commitMs));
      this.committed.push({ records, from });
      return { accepted: records.length, duplicates: 0 };
    } finally {
      this.inFlight--;
    }
  }

  report(d: Diagnostic, from: Delivery): void {
    this.diagnostics.push({ d, from });
  }

  dropped(n: number, from: Delivery, why: string): void {
    this.drops.push({ n, from, why });
  }

  /** Every committed record, in commit order. */
  get records(): RawRecord[] {
    return this.committed.flatMap((c) => c.records);
  }

  /** Holds every accept until open() is called. */
  block(): void {
    this.gate = new Promise((r) => { this.openGate = r; });
  }

  open(): void {
    this.gate = undefined;
    this.openGate?.();
  }

  codes(): string[] {
    return this.diagnostics.map((x) => x.d.code);
  }
}

/** Polls `cond` every 10 ms until it holds, about `timeoutMs` of polls at most (test/helpers/wait.ts). */
export async function until(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  await waitFor(what, () => cond() || undefined, about(timeoutMs, 10));
}

/** `msg` framed for octet counting. */
export const counted = (msg: string): string => `${Buffer.byteLength(msg)} ${msg}`;

/** A self-signed certificate for 127.0.0.1/localhost made by `openssl req -x509` in `dir`. */
export function makeCert(dir: string): { cert: Buffer; key: Buffer; certPath: string; keyPath: string } {
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  return { cert: readFileSync(certPath), key: readFileSync(keyPath), certPath, keyPath };
}
