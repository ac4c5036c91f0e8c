/**
 * PowerShell 4104 reassembly: a script longer than one event is logged as MessageTotal fragments
 * sharing a ScriptBlockId. Fragments are held until all arrive (in any order), then one event with the
 * whole text and every fragment's provenance goes on, so detection sees the script once. Bounded: a
 * block still incomplete `maxAgeMs` after its first fragment, or when `maxPending` blocks are open, is
 * released with what arrived, marked incomplete.
 */
import type { ScriptBlockEvent, ShellEvent } from '../core/index.js';

interface Pending { first: ScriptBlockEvent; parts: (ScriptBlockEvent | undefined)[]; got: number; opened: number }

export interface ReassemblyOptions { maxAgeMs?: number; maxPending?: number; maxParts?: number }

export class ScriptBlockReassembler {
  private readonly open = new Map<string, Pending>();
  private readonly maxAge: number;
  private readonly maxPending: number;
  private readonly maxParts: number;

  constructor(o: ReassemblyOptions = {}) {
    this.maxAge = o.maxAgeMs ?? 10 * 60_000;
    this.maxPending = o.maxPending ?? 10_000;
    this.maxParts = o.maxParts ?? 4096;
  }

  /** Takes one script-block event; pushes what is ready (a single-part block, or a completed one) to `out`. */
  push(ev: ScriptBlockEvent, out: ShellEvent[]): void {
    const total = ev.messageTotal ?? 1;
    const n = ev.messageNumber ?? 1;
    if (total <= 1 || !ev.scriptBlockId || n < 1 || n > total || total > this.maxParts) {
      out.push(ev);
      return;
    }
    this.expire(ev.time, out);
    const key = `${ev.host.toLowerCase()}|${ev.scriptBlockId.toLowerCase()}`;
    let p = this.open.get(key);
    if (!p) {
      if (this.open.size >= this.maxPending) this.release(this.open.keys().next().value as string, out);
      p = { first: ev, parts: new Array(total), got: 0, opened: Number.isFinite(ev.time) ? ev.time : 0 };
      this.open.set(key, p);
    }
    if (!p.parts[n - 1]) {
      p.parts[n - 1] = ev;
      p.got++;
    }
    if (p.got === p.parts.length) this.release(key, out);
  }

  /** Releases host `h`'s open blocks (its state is being evicted), marked incomplete. */
  forget(h: string, out: ShellEvent[]): void {
    const prefix = `${h.toLowerCase()}|`;
    for (const key of [...this.open.keys()]) if (key.startsWith(prefix)) this.release(key, out);
  }

  /** Releases every open block (end of input), marked incomplete. */
  flush(out: ShellEvent[]): void {
    for (const key of [...this.open.keys()]) this.release(key, out);
  }

  private expire(now: number, out: ShellEvent[]): void {
    if (!Number.isFinite(now)) return;
    for (const [key, p] of this.open) {
      if (now - p.opened <= this.maxAge) break; // insertion order ≈ age order
      this.release(key, out);
    }
  }

  private release(key: string, out: ShellEvent[]): void {
    const p = this.open.get(key);
    if (!p) return;
    this.open.delete(key);
    const parts = p.parts.filter((x): x is ScriptBlockEvent => Boolean(x));
    const base = parts[0] ?? p.first;
    const whole: ScriptBlockEvent = {
      ...base,
      text: parts.map((x) => x.text).join(''),
      messageNumber: 1,
      fragments: parts.map((x) => x.event),
    };
    if (parts.length < p.parts.length) whole.incomplete = true;
    out.push(whole);
  }
}
