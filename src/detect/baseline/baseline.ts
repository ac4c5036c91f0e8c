/**
 * The baseline API: learn process starts, judge any event, save/load the single-file store, merge
 * and diff. `Baseline.judge(ev)` is what the pipeline attaches to alerts as `baseline{…}`.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Diagnostic, ShellEvent } from '../../core/index.js';
import { Groups } from './groups.js';
import { judgeDetail, judgeEvent, type Judgement, type JudgementDetail } from './judge.js';
import { BaselineData, type BaselineEntry, type BaselineOptions } from './model.js';
import { parseBaseline, serializeBaseline } from './store.js';

/** Counts of a baseline's content, for `baseline show` and reports. */
export interface BaselineStats { entries: number; scopes: number; events: number; pairs: number; templates: number; users: number }

export class Baseline extends BaselineData {
  constructor(opts: BaselineOptions = {}) { super(opts); }

  /** `{firstSeen, rarity, seenOnHosts}` for an alert's event; null when it names no process. */
  judge(ev: ShellEvent): Judgement | null { return judgeEvent(this, ev); }

  /** The judgement with every fact and scope, for evidence. */
  judgeDetail(ev: ShellEvent): JudgementDetail | null { return judgeDetail(this, ev); }

  /** Learns every event of a batch (those outside the window are skipped); returns how many counted. */
  learnAll(evs: Iterable<ShellEvent>): number {
    let n = 0;
    for (const ev of evs) if (this.learn(ev)) n++;
    return n;
  }

  /** The store text (deterministic). */
  serialize(): string { return serializeBaseline(this); }

  /** Writes the store file (through a temporary file and a rename, so a crash leaves the old file). */
  save(path: string): void {
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, this.serialize());
    renameSync(tmp, path);
  }

  /** Parses store text; `groups` overrides the groups saved with it. Bad entry lines are diagnostics. */
  static parse(text: string, opts: { groups?: Groups; file?: string } = {}): { baseline: Baseline; diagnostics: Diagnostic[] } {
    const stored = parseBaseline(text, opts.file);
    const baseline = new Baseline({ ...stored.params, groups: opts.groups ?? new Groups(stored.groups) });
    for (const e of stored.entries) baseline.put(e);
    return { baseline, diagnostics: stored.diagnostics };
  }

  /** Reads a store file (throws when it is unreadable or not a baseline of a supported version). */
  static load(path: string, opts: { groups?: Groups } = {}): { baseline: Baseline; diagnostics: Diagnostic[] } {
    return Baseline.parse(readFileSync(path, 'utf8'), { ...opts, file: path });
  }

  /** Counts by kind; `events` is the number of process starts learned (summed over host scopes). */
  stats(): BaselineStats {
    const s: BaselineStats = { entries: this.size, scopes: 0, events: 0, pairs: 0, templates: 0, users: 0 };
    const pairs = new Set<string>(), templates = new Set<string>(), users = new Set<string>();
    for (const e of this.sorted()) {
      if (e.kind === 'events') { s.scopes++; if (e.scope.startsWith('host:')) s.events += e.count; }
      else (e.kind === 'pair' ? pairs : e.kind === 'template' ? templates : users).add(e.value);
    }
    return { ...s, pairs: pairs.size, templates: templates.size, users: users.size };
  }
}

/** A new baseline holding both: counts add, windows and times widen; parameters and groups from `a`. */
export function mergeBaselines(a: BaselineData, b: BaselineData): Baseline {
  if (a.params.quotedMin !== b.params.quotedMin) throw new Error('the baselines mask templates differently (quotedMin) and cannot be merged');
  const lo = (x: number | null, y: number | null) => (x === null || y === null ? null : Math.min(x, y));
  const hi = (x: number | null, y: number | null) => (x === null || y === null ? null : Math.max(x, y));
  const out = new Baseline({ ...a.params, from: lo(a.params.from, b.params.from), to: hi(a.params.to, b.params.to), groups: a.groups });
  for (const e of a.sorted()) out.put(e);
  for (const e of b.sorted()) out.put(e);
  return out;
}

/** One changed entry of a diff. */
export interface EntryChange { before: BaselineEntry; after: BaselineEntry }

/** What differs between two baselines, entries sorted like the store. */
export interface BaselineDiff { added: BaselineEntry[]; removed: BaselineEntry[]; changed: EntryChange[] }

const sameEntry = (x: BaselineEntry, y: BaselineEntry): boolean =>
  x.count === y.count && x.first === y.first && x.last === y.last && x.hosts.join('\n') === y.hosts.join('\n');

/** Entries only in `b` (added), only in `a` (removed), and in both with other counts, times or hosts. */
export function diffBaselines(a: BaselineData, b: BaselineData): BaselineDiff {
  const out: BaselineDiff = { added: [], removed: [], changed: [] };
  for (const e of b.sorted()) {
    const old = a.get(e.scope, e.kind, e.value);
    if (!old) out.added.push(e);
    else if (!sameEntry(old, e)) out.changed.push({ before: old, after: e });
  }
  for (const e of a.sorted()) if (!b.get(e.scope, e.kind, e.value)) out.removed.push(e);
  return out;
}
