/**
 * Judging an event against a baseline: for each fact, its rarity in the scope where it is most
 * common (a fact normal for the host group or the user group is normal), and for the event, its
 * rarest fact. Rarity is 1/(1 + decayed count): 1 never seen, 0.5 seen once, 0.1 seen nine times.
 */
import { isoTime, type ShellEvent } from '../../core/index.js';
import { factsOf, scopesOf, subjectOf, type Fact, type FactKind } from './facts.js';
import type { BaselineData, BaselineEntry } from './model.js';

/** What every alert carries: `baseline{firstSeen,rarity,seenOnHosts}`. */
export interface Judgement {
  /** earliest time the rarest fact was seen in any of the event's scopes (ISO 8601), null when never */
  firstSeen: string | null;
  /** 0 common … 1 never seen */
  rarity: number;
  /** hosts the rarest fact was seen on (in its most common scope; saturates at MAX_HOSTS) */
  seenOnHosts: number;
}

/** One fact's judgement, for evidence. */
export interface FactJudgement {
  kind: FactKind;
  value: string;
  rarity: number;
  /** the scope where the fact is most common, null when never seen */
  scope: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
  /** times seen in that scope */
  count: number;
  seenOnHosts: number;
  /** up to five hosts it was seen on */
  hosts: string[];
  /** true when never seen on this event's host */
  newOnHost: boolean;
}

export interface JudgementDetail extends Judgement {
  /** every fact of the event: pair, template, user (those it has) */
  facts: FactJudgement[];
  /** the scopes the event was judged in */
  scopes: string[];
  /** most process starts learned in any of those scopes (0: nothing to compare with) */
  scopeEvents: number;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Judges one fact over the event's scopes. */
function judgeFact(b: BaselineData, f: Fact, scopes: string[], time: number): FactJudgement {
  let best: BaselineEntry | undefined;
  let bestW = 0;
  let first = Infinity;
  for (const sc of scopes) {
    const e = b.get(sc, f.kind, f.value);
    if (!e) continue;
    first = Math.min(first, e.first);
    const w = b.weight(e, time);
    if (!best || w > bestW || (w === bestW && e.hosts.length > best.hosts.length)) { best = e; bestW = w; }
  }
  return {
    kind: f.kind, value: f.value,
    rarity: best ? round3(1 / (1 + bestW)) : 1,
    scope: best?.scope ?? null,
    firstSeen: best ? isoTime(first) : null,
    lastSeen: best ? isoTime(best.last) : null,
    count: best?.count ?? 0,
    seenOnHosts: best?.hosts.length ?? 0,
    hosts: best?.hosts.slice(0, 5) ?? [],
    newOnHost: !b.get(scopes[0], f.kind, f.value),
  };
}

/** Full judgement of an event; null when the event names no process the baseline can model. */
export function judgeDetail(b: BaselineData, ev: ShellEvent): JudgementDetail | null {
  const s = subjectOf(ev);
  if (!s) return null;
  const facts = factsOf(s, { quotedMin: b.params.quotedMin });
  if (!facts.length) return null;
  const scopes = scopesOf(s, b.groups);
  const judged = facts.map((f) => judgeFact(b, f, scopes, ev.time));
  let rarest = judged[0];
  for (const j of judged) if (j.rarity > rarest.rarity) rarest = j;
  const scopeEvents = Math.max(0, ...scopes.map((sc) => b.get(sc, 'events', '')?.count ?? 0));
  return { firstSeen: rarest.firstSeen, rarity: rarest.rarity, seenOnHosts: rarest.seenOnHosts, facts: judged, scopes, scopeEvents };
}

/** The alert judgement `{firstSeen, rarity, seenOnHosts}`; null when the event names no process. */
export function judgeEvent(b: BaselineData, ev: ShellEvent): Judgement | null {
  const d = judgeDetail(b, ev);
  return d ? { firstSeen: d.firstSeen, rarity: d.rarity, seenOnHosts: d.seenOnHosts } : null;
}
