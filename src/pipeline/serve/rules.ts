/**
 * Rules on a running server: the listing, a rule tried on sample events, a reload without restart, and
 * a retro-hunt (Sigma rules over stored events). Rule texts from the API are written to a private temp
 * folder and loaded by the same loader `hunt --rules` uses, so they get the same checks and diagnostics.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert, Diagnostic } from '../../core/index.js';
import { toRawRecord } from '../../ingest/json/shapes.js';
import { prepareHunt, type HuntSetup } from '../setup.js';
import { StreamPipeline } from '../stream.js';
import type { RetroHuntRequest, RetroHuntResult, RuleInfo, RuleTestResult } from './context.js';
import type { Engine } from './engine.js';

/** The loaded rules as the API lists them. */
export function ruleInfos(setup: HuntSetup): RuleInfo[] {
  return (setup.sigma?.listing ?? []).map((r) => ({ id: r.id, title: r.title, level: r.level || null, status: r.status || null, path: r.path, loaded: r.loaded, problems: r.reason ? [r.reason] : [] }));
}

/** Loads rule texts through a private temp folder (removed before returning). */
async function withRules<T>(texts: string[], f: (setup: HuntSetup) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'shellwatch-rules-'));
  try {
    texts.forEach((t, i) => writeFileSync(join(dir, `rule-${i}.yml`), t, { mode: 0o600 }));
    return await f(await prepareHunt({ rules: { paths: [dir] } }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs one rule over sample events (objects in any shape the JSON reader knows). */
export function testRule(yaml: string, events: Record<string, unknown>[]): Promise<RuleTestResult> {
  return withRules([yaml], async (setup) => {
    const diagnostics: Diagnostic[] = [...setup.diagnostics];
    const matches: RuleTestResult['matches'] = [];
    let index = -1;
    const p = new StreamPipeline(setup, { detectors: [], reorderWindowMs: 0 }, { alert: (a) => matches.push({ index, title: a.rule.title, level: a.rule.level }), diagnostic: (d) => diagnostics.push(d) });
    events.forEach((e, i) => {
      index = i;
      p.push(toRawRecord(e, 'rules-test', i + 1, 0));
      p.release();
    });
    index = -1;
    p.flush();
    const rule = ruleInfos(setup)[0] ?? null;
    return { rule, diagnostics, matches };
  });
}

/** Runs Sigma rules over stored events in store order, through lineage, as a hunt of its own. */
export function retroHunt(engine: Engine, req: RetroHuntRequest): Promise<RetroHuntResult> {
  const limit = Math.min(Math.max(1, req.limit ?? 100_000), 1_000_000);
  return withRules(req.rules, async (setup) => {
    const diagnostics: Diagnostic[] = [...setup.diagnostics];
    const alerts: Alert[] = [];
    const p = new StreamPipeline(setup, { detectors: [], reorderWindowMs: engine.config.pipeline.reorderWindowMs, alertIds: true }, { alert: (a) => alerts.push(a), diagnostic: (d) => diagnostics.push(d) });
    let after = 0;
    let scanned = 0;
    const host = req.host?.toLowerCase();
    for (;;) {
      const rows = await engine.store.readEvents(after, 1000);
      if (!rows.length || scanned >= limit) break;
      for (const r of rows) {
        after = r.seq;
        if (scanned >= limit) break;
        if (host && r.host?.toLowerCase() !== host) continue;
        if (req.fromMs !== undefined && (r.timeMs ?? -Infinity) < req.fromMs) continue;
        if (req.toMs !== undefined && (r.timeMs ?? Infinity) >= req.toMs) continue;
        scanned++;
        r.record.ref.seq = r.seq;
        p.push(r.record);
      }
      p.release();
    }
    p.flush();
    if (req.store && alerts.length) {
      const now = Date.now();
      await engine.store.putAlerts(alerts.map((a) => ({ alert: a as Alert & { id: string }, groupKey: `${a.rule.source}:${a.rule.id}|${a.host.toLowerCase()}`, createdMs: now })));
    }
    return { scanned, alerts, diagnostics, truncated: scanned >= limit };
  });
}
