/** Learning a baseline: the same read → normalize → lineage path as a hunt, feeding process starts to it. */
import { existsSync } from 'node:fs';
import { diag, type Detector, type Diagnostic } from '../core/index.js';
import { Baseline, diffBaselines, describeBaseline, formatDiff, loadGroups, mergeBaselines, type Groups } from '../detect/baseline/index.js';
import { hunt } from './hunt.js';

export interface LearnOptions {
  groups?: string;
  /** learning window, ISO 8601 (inclusive from, exclusive to) */
  from?: string;
  to?: string;
  /** merge into this existing baseline file instead of starting empty */
  mergeWith?: string;
  onDiagnostic?(d: Diagnostic): void;
}

function time(v: string | undefined): number | null {
  if (!v) return null;
  const t = Date.parse(v);
  if (!Number.isFinite(t)) throw new Error(`not a time: ${v}`);
  return t;
}

/** Learns a baseline from everything under `paths`; returns it with the number of process starts learned. */
export async function learnBaseline(paths: string[], o: LearnOptions = {}): Promise<{ baseline: Baseline; learned: number; events: number }> {
  let groups: Groups | undefined;
  if (o.groups) {
    const g = loadGroups(o.groups);
    g.diagnostics.forEach((d) => o.onDiagnostic?.(d));
    groups = g.groups;
  }
  let b = new Baseline({ groups, from: time(o.from), to: time(o.to) });
  let learned = 0;
  const learner: Detector = { id: 'baseline-learner', title: 'baseline learner', level: 'informational', techniques: [], description: '', detect: (ev) => { if (b.learn(ev)) learned++; return []; } };
  const s = await hunt(paths, { detectors: [learner], threads: 1, context: { allowed: () => false }, onDiagnostic: o.onDiagnostic }, () => {});
  if (o.mergeWith && existsSync(o.mergeWith)) {
    try {
      b = mergeBaselines(Baseline.load(o.mergeWith, groups ? { groups } : {}).baseline, b);
    } catch (e) {
      o.onDiagnostic?.(diag('SW4007', `cannot merge: ${(e as Error).message}`, { file: o.mergeWith }));
    }
  }
  return { baseline: b, learned, events: s.events };
}

/** Text for `baseline show`. */
export function showBaseline(path: string, limit: number): string {
  return describeBaseline(Baseline.load(path).baseline, limit);
}

/** Text for `baseline diff`. */
export function baselineDiff(a: string, b: string): string {
  return formatDiff(diffBaselines(Baseline.load(a).baseline, Baseline.load(b).baseline));
}
