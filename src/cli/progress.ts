/** A one-line progress display on stderr, only when stderr is a terminal. */
import type { Progress } from '../pipeline/index.js';
import { terminalSafe } from './output/sanitize.js';

export class ProgressLine {
  private readonly t0 = Date.now();
  private shown = false;
  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {}

  get enabled(): boolean {
    return Boolean(this.out.isTTY);
  }

  update(p: Progress): void {
    if (!this.enabled) return;
    const secs = Math.max(0.001, (Date.now() - this.t0) / 1000);
    const rate = Math.round(p.events / secs);
    const name = terminalSafe(p.current);
    const text = `files ${p.files} | events ${p.events} | alerts ${p.alerts} | ${rate} ev/s | ${name}`;
    const w = (this.out.columns ?? 100) - 1;
    this.out.write('\r' + (text.length > w ? text.slice(0, w) : text.padEnd(w)));
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.out.write('\r' + ' '.repeat((this.out.columns ?? 100) - 1) + '\r');
    this.shown = false;
  }
}
