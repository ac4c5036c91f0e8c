/** Wraps a detector's logic with the allowlists: the shipped one (data) and the caller's context. */
import type { Detector, DetectorInfo, Finding, ShellEvent } from '../../../core/index.js';
import { matchAllowlist, type AllowEntry } from '../allowlist.js';

export type DetectFn = (ev: ShellEvent) => Finding[];
/** What a detector function that keeps state between events offers (Detector.snapshot/restore). */
export interface Stateful { snapshot(): unknown; restore(state: unknown): void }

/** A Detector whose findings are dropped when an allowlist entry covers the event. */
export function defineDetector(info: DetectorInfo, run: DetectFn & Partial<Stateful>, shipped: readonly AllowEntry[]): Detector {
  const d: Detector = {
    ...info,
    detect(ev, ctx) {
      const found = run(ev);
      if (!found.length) return found;
      if (shipped.length && matchAllowlist(shipped, info.id, ev)) return [];
      return ctx.allowed(info.id, ev) ? [] : found;
    },
  };
  if (run.snapshot && run.restore) { d.snapshot = run.snapshot; d.restore = run.restore; }
  return d;
}

/** Bounded excerpt for reasons and evidence (command lines can be 32 KiB). */
const SPACES = /\s+/g;
export const excerpt = (s: string | undefined, n = 200): string => {
  const t = (s ?? '').replace(SPACES, ' ').trim();
  return t.length > n ? `${t.slice(0, n)}…` : t;
};
