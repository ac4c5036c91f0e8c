/**
 * `rare-shell-usage`: shell usage whose parent→child pair or command template is rare and new: never
 * seen on the host, and never or rarely seen in the event's other scopes (host groups, user groups), so
 * re-hunting the learned period raises nothing. Stateful per hunt:
 * each rare fact is reported once per host, so a new script run every minute is one alert.
 */
import type { Detector, DetectorInfo, Finding, ShellEvent } from '../../core/index.js';
import { isoTime } from '../../core/index.js';
import type { Baseline } from './baseline.js';
import { isShellUsage, subjectOf } from './facts.js';
import type { FactJudgement, JudgementDetail } from './judge.js';

export const RARE_SHELL_USAGE: DetectorInfo = {
  id: 'rare-shell-usage',
  title: 'Rare shell usage',
  level: 'medium',
  techniques: ['T1059'],
  description: 'A shell started by a parent, or a shell command template, never seen on this host and never or rarely seen in its host groups or user groups.',
};

export interface BaselineDetectorOptions {
  /** a fact is rare at or above this rarity (default 0.5: seen at most once, after decay) */
  threshold?: number;
  /** stay quiet where the event's scopes learned fewer process starts than this (default 1) */
  minScopeEvents?: number;
  /** fact kinds that raise the alert (default pair and template) */
  kinds?: readonly ('pair' | 'template' | 'user')[];
}

const SHOWN_VALUE = 200;
const clip = (s: string): string => (s.length > SHOWN_VALUE ? `${s.slice(0, SHOWN_VALUE)}…` : s);

/** `never seen` or `seen 1× on ws1, ws2 (hostgroup:servers), last 2020-…`. */
function seenText(f: FactJudgement): string {
  if (!f.scope) return 'never seen';
  return `seen ${f.count}× on ${f.hosts.join(', ')}${f.seenOnHosts > f.hosts.length ? ' …' : ''} (${f.scope}), last ${f.lastSeen}`;
}

const KIND_TEXT: Record<string, string> = { pair: 'parent→child pair', template: 'command template', user: 'user→shell' };

function finding(d: JudgementDetail, rare: FactJudgement[], window: { from: number | null; to: number | null }): Finding {
  const parts = rare.map((f) => `${KIND_TEXT[f.kind]} ${JSON.stringify(clip(f.value))} ${seenText(f)}`);
  return {
    reason: `shell usage rare for ${d.scopes.join(', ')}: ${parts.join('; ')}`,
    level: rare.some((f) => f.kind === 'pair') ? 'medium' : 'low',
    evidence: {
      rare: rare.map((f) => ({ ...f, value: clip(f.value) })),
      baseline: { firstSeen: d.firstSeen, rarity: d.rarity, seenOnHosts: d.seenOnHosts },
      scopes: d.scopes,
      scopeEvents: d.scopeEvents,
      window: { from: window.from === null ? null : isoTime(window.from), to: window.to === null ? null : isoTime(window.to) },
    },
  };
}

/** A fresh rare-shell-usage detector over a learned baseline (one per hunt: it remembers what it reported). */
export function createBaselineDetector(baseline: Baseline, opts: BaselineDetectorOptions = {}): Detector {
  const threshold = opts.threshold ?? 0.5;
  const minEvents = opts.minScopeEvents ?? 1;
  const kinds = new Set(opts.kinds ?? ['pair', 'template']);
  const reported = new Set<string>();
  const detect = (ev: ShellEvent, ctx: { allowed(id: string, ev: ShellEvent): boolean }): Finding[] => {
    if (ev.kind !== 'process_start') return [];
    const s = subjectOf(ev);
    if (!s || !isShellUsage(s)) return [];
    const d = baseline.judgeDetail(ev);
    if (!d || d.scopeEvents < minEvents) return [];
    // rare and new: rare in every scope of the event, and never seen on this host
    const rare = d.facts.filter((f) => kinds.has(f.kind) && f.rarity >= threshold && f.newOnHost);
    const host = s.host.toLowerCase();
    const fresh = rare.filter((f) => !reported.has(`${host}\u0000${f.kind}\u0000${f.value}`));
    if (!fresh.length || ctx.allowed(RARE_SHELL_USAGE.id, ev)) return [];
    for (const f of fresh) reported.add(`${host}\u0000${f.kind}\u0000${f.value}`);
    return [finding(d, fresh, baseline.params)];
  };
  return {
    ...RARE_SHELL_USAGE, detect,
    snapshot: () => [...reported],
    restore: (s: unknown) => { reported.clear(); for (const k of Array.isArray(s) ? s : []) reported.add(String(k)); },
  };
}
