// The half/half experiment (docs/baseline.md): events from corpus files through the production
// reader, normalizer and lineage; learn a baseline on the earlier part, hunt the later part with the
// built-in detectors and rare-shell-usage, and judge every alert against the baseline.
import type { Detector, ShellEvent } from '../../src/core/index.js';
import { Baseline, createBaselineDetector, isShellUsageEvent, knownGoodContext, type Groups } from '../../src/detect/baseline/index.js';
import { createBuiltinDetectors, shippedAllowlist } from '../../src/detect/builtin/index.js';
import { readAll } from '../../src/ingest/read.js';
import { Lineage } from '../../src/lineage/index.js';
import { Normalizer } from '../../src/normalize/index.js';

/** Every event of the files, in time order (ties keep input order), with lineage attached. */
export async function eventsOf(paths: string[]): Promise<ShellEvent[]> {
  const normalizer = new Normalizer();
  const raw: ShellEvent[] = [];
  for await (const item of readAll(paths)) {
    if (!('results' in item)) continue;
    for (const r of item.results) if (r.record) raw.push(normalizer.normalize(r.record));
  }
  const ordered = raw.map((ev, i) => ({ ev, i })).sort((a, b) => a.ev.time - b.ev.time || a.i - b.i).map((x) => x.ev);
  const lineage = new Lineage();
  const out: ShellEvent[] = [];
  for (const ev of ordered) lineage.process(ev, out);
  lineage.flush(out);
  return out;
}

export interface HuntAlert { rule: string; host: string; rarity: number | null; image: string }

export interface SplitResult {
  /** distinct processes (a Sysmon 1 and a 4688 of one process count once) learned / hunted */
  processStarts: [number, number];
  templates: number;
  pairs: number;
  /** hunted processes never seen in any scope (rarity 1), and of those shell usage */
  rare: number;
  rareShell: number;
  /** built-in alerts on the later part, each with its judgement */
  builtin: HuntAlert[];
  /** rare-shell-usage alerts on the later part, and on the learned part itself (must be 0) */
  rareAlerts: HuntAlert[];
  rareAlertsOnLearned: number;
  suppressed: number;
}

/** The pipeline's alert key: one process (two sources), or one process talking to one endpoint. */
function key(ev: ShellEvent): string {
  if (ev.kind === 'process_start' && ev.nodeId) return `${ev.host.toLowerCase()}|${ev.nodeId}`;
  if (ev.kind === 'network' && (ev.process.guid || ev.process.pid !== undefined)) return `${ev.host.toLowerCase()}|${ev.process.guid ?? ev.process.pid}|${ev.dstIp}:${ev.dstPort}`;
  return `${ev.event.file}|${ev.event.record}`;
}

/** Runs detectors like the pipeline does: one alert per rule and process (two sources, one process). */
export function huntEvents(evs: ShellEvent[], detectors: Detector[], b: Baseline): { alerts: HuntAlert[]; suppressed: number } {
  const ctx = knownGoodContext(shippedAllowlist);
  const seen = new Set<string>();
  const alerts: HuntAlert[] = [];
  for (const ev of evs) {
    for (const d of detectors) {
      if (!d.detect(ev, ctx).length) continue;
      const k = `${d.id}|${key(ev)}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const image = 'process' in ev ? (ev.process?.image ?? ev.process?.commandLine ?? '') : '';
      alerts.push({ rule: d.id, host: ev.host, rarity: b.judge(ev)?.rarity ?? null, image: image.replace(/^.*[\\/]/, '').toLowerCase() });
    }
  }
  return { alerts, suppressed: ctx.report().total };
}

/** Learns events before `split` and hunts those from `split` on. */
export function splitAt(evs: ShellEvent[], split: number, groups?: Groups): SplitResult {
  const b = new Baseline({ to: split, groups });
  b.learnAll(evs);
  const early = evs.filter((e) => e.time < split);
  const late = evs.filter((e) => e.time >= split);
  const starts = (xs: ShellEvent[]) => xs.filter((e) => e.kind === 'process_start');
  const distinct = (xs: ShellEvent[]) => new Set(starts(xs).map(key)).size;
  const rareKeys = new Set<string>(), rareShellKeys = new Set<string>();
  for (const ev of starts(late)) {
    if ((b.judge(ev)?.rarity ?? 0) < 1) continue;
    rareKeys.add(key(ev));
    if (isShellUsageEvent(ev)) rareShellKeys.add(key(ev));
  }
  const builtin = huntEvents(late, createBuiltinDetectors([]), b);
  const rare = huntEvents(late, [createBaselineDetector(b)], b);
  const st = b.stats();
  return {
    processStarts: [distinct(early), distinct(late)], templates: st.templates, pairs: st.pairs,
    rare: rareKeys.size, rareShell: rareShellKeys.size, builtin: builtin.alerts, rareAlerts: rare.alerts,
    rareAlertsOnLearned: huntEvents(early, [createBaselineDetector(b)], b).alerts.length, suppressed: builtin.suppressed,
  };
}

/** The split time of one dataset: the start time of its middle process start. */
export function medianStart(evs: ShellEvent[]): number {
  const t = evs.filter((e) => e.kind === 'process_start').map((e) => e.time).sort((a, b) => a - b);
  return t.length ? t[t.length >> 1] : Infinity;
}

/** `rule×n (new/once/common)` per rule, sorted: rarity 1, 0.5 ≤ rarity < 1, rarity < 0.5 (or no judgement). */
export function alertSummary(alerts: HuntAlert[]): string {
  const by = new Map<string, number[]>();
  for (const a of alerts) {
    const x = by.get(a.rule) ?? [0, 0, 0];
    const r = a.rarity ?? 0;
    x[r >= 1 ? 0 : r >= 0.5 ? 1 : 2]++;
    by.set(a.rule, x);
  }
  return [...by].sort(([a], [b]) => (a < b ? -1 : 1)).map(([r, x]) => `${r}×${x[0] + x[1] + x[2]} (${x.join('/')})`).join(', ') || '-';
}
