/**
 * Text views for `shellwatch baseline show|diff`: log-derived values pass through printable(), so
 * a command template cannot move the cursor or recolour the terminal.
 */
import { isoTime } from '../../core/index.js';
import type { Baseline, BaselineDiff } from './baseline.js';
import type { BaselineEntry } from './model.js';

/** Log-derived text for a terminal: control characters become `?`. */
export const printable = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

const entryLine = (e: BaselineEntry): string =>
  printable(`${e.scope}  ${e.kind}  ${e.value || '-'}  ×${e.count}  ${isoTime(e.first)} … ${isoTime(e.last)}  hosts ${e.hosts.length}`);

const KIND_ORDER = ['pair', 'template', 'user'];

/** Header facts, then up to `limit` entries per scope (by kind, most counted first, ties by value). */
export function describeBaseline(b: Baseline, limit = 20): string {
  const st = b.stats();
  const p = b.params;
  const span = b.span();
  const lines = [
    `window ${p.from === null ? '-∞' : isoTime(p.from)} … ${p.to === null ? '+∞' : isoTime(p.to)}; seen ${span ? `${isoTime(span.first)} … ${isoTime(span.last)}` : 'nothing'}`,
    `half-life ${p.halfLifeDays} d, dropped after ${p.dropAfterDays} d unseen; quoted strings masked from ${p.quotedMin} chars`,
    `${st.events} process starts, ${st.scopes} scopes, ${st.pairs} pairs, ${st.templates} templates, ${st.users} user→shell, ${st.entries} entries`,
  ];
  const byScope = new Map<string, BaselineEntry[]>();
  for (const e of b.sorted()) if (e.kind !== 'events') byScope.set(e.scope, [...(byScope.get(e.scope) ?? []), e]);
  for (const [scope, es] of byScope) {
    const events = b.get(scope, 'events', '')?.count ?? 0;
    lines.push(printable(`${scope} (${events} process starts)`));
    const top = [...es].sort((x, y) => KIND_ORDER.indexOf(x.kind) - KIND_ORDER.indexOf(y.kind) || y.count - x.count || (x.value < y.value ? -1 : x.value > y.value ? 1 : 0)).slice(0, limit);
    for (const e of top) lines.push(`  ${entryLine(e).slice(scope.length + 2)}`);
    if (es.length > limit) lines.push(`  … ${es.length - limit} more`);
  }
  return `${lines.join('\n')}\n`;
}

/** `+ entry`, `- entry`, `~ before → after count` lines, added first. */
export function formatDiff(d: BaselineDiff): string {
  const lines = [`${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed`];
  for (const e of d.added) lines.push(`+ ${entryLine(e)}`);
  for (const e of d.removed) lines.push(`- ${entryLine(e)}`);
  for (const c of d.changed) lines.push(`~ ${entryLine(c.after)} (was ×${c.before.count}, hosts ${c.before.hosts.length})`);
  return `${lines.join('\n')}\n`;
}
