/**
 * What the allowlists suppressed (per entry and rule, with an example): the report's shape, how
 * reports of several workers add up, and its text. Apart from the accounting itself, so a process
 * that only merges and prints reports does not load the allowlist machinery.
 */
import type { EventRef } from '../../core/index.js';
import { printable } from './report.js';

/** The first suppressed event of an entry for one rule. */
export interface SuppressionExample { event: EventRef; host: string; time: string; commandLine: string | null }

export interface RuleSuppressions { rule: string; count: number; example: SuppressionExample }

export interface EntrySuppressions {
  id: string;
  description: string;
  /** file the entry came from */
  source: string;
  /** alerts suppressed, all rules */
  total: number;
  /** per rule, sorted by rule id */
  rules: RuleSuppressions[];
}

/** Every entry (suppressing or not, in allowlist order) and the total suppressed. */
export interface SuppressionReport { total: number; entries: EntrySuppressions[] }

/**
 * Sums reports of one allowlist from several hunts (the folders of a parallel hunt). Each entry and
 * rule keeps one example: with `rankOf` (the input order of files), the example from the file that
 * comes first, as one hunt over everything would have kept; without it, the first report's.
 */
export function mergeSuppressionReports(reports: readonly SuppressionReport[], rankOf?: (file: string) => number): SuppressionReport {
  const byId = new Map<string, EntrySuppressions>();
  const order: string[] = [];
  const earlier = (a: SuppressionExample, b: SuppressionExample) => rankOf !== undefined && rankOf(a.event.file) < rankOf(b.event.file);
  for (const rep of reports) {
    for (const e of rep.entries) {
      let cur = byId.get(e.id);
      if (!cur) { byId.set(e.id, (cur = { ...e, total: 0, rules: [] })); order.push(e.id); }
      for (const r of e.rules) {
        const have = cur.rules.find((x) => x.rule === r.rule);
        if (have) {
          have.count += r.count;
          if (earlier(r.example, have.example)) have.example = r.example;
        } else cur.rules.push({ ...r });
      }
      cur.total += e.total;
      cur.rules.sort((a, b) => (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
    }
  }
  const entries = order.map((id) => byId.get(id)!);
  return { total: entries.reduce((n, e) => n + e.total, 0), entries };
}

/** The report as text: one line per entry, one indented line per rule with its example. */
export function formatSuppressionReport(rep: SuppressionReport): string {
  const lines = [`allowlist suppressed ${rep.total} alert(s)`];
  for (const e of rep.entries) {
    lines.push(`${e.id}  ${e.total}  (${e.source})${e.total ? '' : '  never matched'}`);
    for (const r of e.rules) {
      const ref = `${r.example.event.file}${r.example.event.record !== null ? `#${r.example.event.record}` : ''}`;
      lines.push(printable(`  ${r.rule}  ${r.count}  e.g. ${ref} ${r.example.host} ${r.example.time}`));
    }
  }
  return `${lines.join('\n')}\n`;
}
