/**
 * What a hunt treats as known good: the shipped allowlist plus a site's (files or folders), scoped by
 * host group, and the baseline a user learned. Loaded here so the faces only pass paths.
 */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { diag, type Detector, type Diagnostic } from '../core/index.js';
import { Baseline, createBaselineDetector, Groups, knownGoodContext, loadGroups, type KnownGoodContext } from '../detect/baseline/index.js';
import { loadAllowlist, shippedAllowlist, shippedAllowlistDiagnostics, type AllowEntry } from '../detect/builtin/index.js';

export interface KnownGoodOptions {
  /** site allowlist files or folders of *.yaml */
  allowlist?: string[];
  /** host and user groups (YAML) for entries scoped by hostGroups and for baselines */
  groups?: string;
  /** a baseline file learned with `shellwatch baseline learn` */
  baseline?: string;
}

export interface KnownGood {
  /** a fresh accounting context over the lists (one per hunt: its report counts that hunt only) */
  newContext(): KnownGoodContext;
  baseline?: Baseline;
  /** the rare-shell-usage detector when a baseline is given (fresh instances: it keeps per-hunt state) */
  createDetectors(): Detector[];
  diagnostics: Diagnostic[];
}

function siteEntries(paths: string[], diagnostics: Diagnostic[]): AllowEntry[] {
  const out: AllowEntry[] = [];
  for (const p of paths) {
    let dir = p;
    let only: string | undefined;
    try { if (statSync(p).isFile()) { dir = dirname(p); only = p; } } catch { /* loadAllowlist reports it */ }
    const l = loadAllowlist(dir);
    diagnostics.push(...l.diagnostics);
    out.push(...l.entries.filter((e) => !only || e.source === only));
  }
  return out;
}

/** Loads the allowlists, groups and baseline a hunt should use. Never throws: problems are diagnostics. */
export function loadKnownGood(o: KnownGoodOptions = {}): KnownGood {
  const diagnostics: Diagnostic[] = [...shippedAllowlistDiagnostics];
  let groups: Groups | undefined;
  if (o.groups) {
    const g = loadGroups(o.groups);
    diagnostics.push(...g.diagnostics);
    groups = g.groups;
  }
  const entries = [...shippedAllowlist, ...siteEntries(o.allowlist ?? [], diagnostics)];
  let baseline: Baseline | undefined;
  if (o.baseline) {
    try {
      const b = Baseline.load(o.baseline, groups ? { groups } : {});
      diagnostics.push(...b.diagnostics);
      baseline = b.baseline;
    } catch (e) {
      diagnostics.push(diag('SW4007', `baseline not used: ${(e as Error).message}`, { file: o.baseline }));
    }
  }
  return {
    newContext: () => knownGoodContext(entries, groups),
    baseline,
    createDetectors: () => (baseline ? [createBaselineDetector(baseline)] : []),
    diagnostics,
  };
}
