/**
 * Known-good validation with accounting: a DetectContext over allowlist entries (the shipped ones and a
 * site's, scoped by host group) that records every suppression, so a report can say which entry
 * suppressed how many alerts of which rule, with an example event for each.
 *
 * To count the shipped allowlist too, build the built-in detectors without it
 * (`createBuiltinDetectors([])`) and pass `[...shippedAllowlist, ...site]` here.
 */
import { isoTime, type DetectContext, type ShellEvent } from '../../core/index.js';
import { matchAllowlist, type AllowEntry, type AllowScope } from '../builtin/allowlist.js';
import type { RuleSuppressions, SuppressionExample, SuppressionReport } from './suppressions.js';

const MAX_EXAMPLE = 300;

function exampleOf(ev: ShellEvent): SuppressionExample {
  const cl = ev.kind === 'task_created' || ev.kind === 'service_created' ? ev.command : 'process' in ev ? ev.process?.commandLine : undefined;
  return { event: ev.event, host: ev.host, time: isoTime(ev.time), commandLine: cl === undefined ? null : cl.length > MAX_EXAMPLE ? `${cl.slice(0, MAX_EXAMPLE)}…` : cl };
}

/** A DetectContext over allowlist entries that counts every suppression per entry and rule. */
export interface KnownGoodContext extends DetectContext {
  /** the accounting so far */
  report(): SuppressionReport;
}

/** Builds the context; `scope` resolves hosts to host groups for entries limited by `hostGroups`. */
export function knownGoodContext(entries: readonly AllowEntry[], scope?: AllowScope): KnownGoodContext {
  const ledger = new Map<AllowEntry, Map<string, RuleSuppressions>>();
  return {
    allowed(detectorId, ev) {
      const e = matchAllowlist(entries, detectorId, ev, scope);
      if (!e) return false;
      let rules = ledger.get(e);
      if (!rules) ledger.set(e, (rules = new Map()));
      const r = rules.get(detectorId);
      if (r) r.count++;
      else rules.set(detectorId, { rule: detectorId, count: 1, example: exampleOf(ev) });
      return true;
    },
    report() {
      const out: SuppressionReport = { total: 0, entries: [] };
      for (const e of entries) {
        const rules = [...(ledger.get(e)?.values() ?? [])].sort((a, b) => (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)).map((r) => ({ ...r }));
        const total = rules.reduce((n, r) => n + r.count, 0);
        out.total += total;
        out.entries.push({ id: e.id, description: e.description, source: e.source, total, rules });
      }
      return out;
    },
  };
}
