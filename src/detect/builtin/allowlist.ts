/**
 * The shipped allowlist (rules/allowlist/*.yaml) as data: known-good shell activity such as the
 * distribution's stock cron jobs. Loading collects problems as SW4004 diagnostics and keeps going.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { diag, type DetectContext, type Diagnostic, type ProcessInfo, type ShellEvent } from '../../core/index.js';
import { globMatch, squash } from './glob.js';
import { chainOf } from './lib/lineage.js';
import { procName } from './lib/names.js';

/** One allowlist entry; every field given must match (lists match when any item matches). */
export interface AllowEntry {
  id: string;
  description: string;
  /** detector ids, or `*` for all */
  detectors: string[];
  image?: string[];
  parent?: string[];
  ancestor?: string[];
  commandLine?: string[];
  parentCommandLine?: string[];
  user?: string[];
  /** file the entry came from */
  source: string;
}

export interface Allowlist { entries: AllowEntry[]; diagnostics: Diagnostic[] }

/** rules/allowlist beside the package root (works from src/ under tsx and from dist/). */
export const defaultAllowlistDir = (): string => fileURLToPath(new URL('../../../rules/allowlist/', import.meta.url));

const LIST_FIELDS = ['detectors', 'image', 'parent', 'ancestor', 'commandLine', 'parentCommandLine', 'user'] as const;

/** Reads every *.yaml / *.yml in `dir`; invalid files or entries become diagnostics (SW4004). */
export function loadAllowlist(dir: string = defaultAllowlistDir()): Allowlist {
  const out: Allowlist = { entries: [], diagnostics: [] };
  let files: string[];
  try { files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort(); } catch (e) {
    out.diagnostics.push(diag('SW4004', `allowlist folder cannot be read: ${(e as Error).message}`, { file: dir }));
    return out;
  }
  for (const f of files) readFile(join(dir, f), out);
  return out;
}

function readFile(file: string, out: Allowlist): void {
  let doc: unknown;
  try { doc = parse(readFileSync(file, 'utf8')); } catch (e) {
    out.diagnostics.push(diag('SW4004', `not valid YAML: ${(e as Error).message}`, { file }));
    return;
  }
  const list = (doc as { entries?: unknown })?.entries;
  if (!Array.isArray(list)) { out.diagnostics.push(diag('SW4004', 'expected a top-level `entries:` list', { file })); return; }
  list.forEach((raw, i) => {
    const e = toEntry(raw, file);
    if (typeof e === 'string') out.diagnostics.push(diag('SW4004', `entry ${i + 1}: ${e}`, { file, record: i + 1 }));
    else out.entries.push(e);
  });
}

function toEntry(raw: unknown, source: string): AllowEntry | string {
  if (!raw || typeof raw !== 'object') return 'not a mapping';
  const r = raw as Record<string, unknown>;
  if (typeof r.id !== 'string' || !r.id) return 'missing id';
  const e: AllowEntry = { id: r.id, description: typeof r.description === 'string' ? r.description : '', detectors: [], source };
  for (const k of LIST_FIELDS) {
    const v = r[k];
    if (v === undefined) continue;
    const arr = Array.isArray(v) ? v : [v];
    if (!arr.every((x) => typeof x === 'string')) return `${k} must be a string or a list of strings`;
    e[k] = arr.map((x: string) => (k === 'commandLine' || k === 'parentCommandLine' ? squash(x) : x.toLowerCase()));
  }
  if (!e.detectors.length) return 'detectors is required (use "*" for all)';
  if (!e.image && !e.commandLine && !e.parent) return 'needs at least one of image, parent, commandLine';
  return e;
}

/** The process an event is about, and the command line allowlist globs test. */
function subject(ev: ShellEvent): { p?: ProcessInfo; cl: string } {
  if (ev.kind === 'task_created' || ev.kind === 'service_created') return { p: ev.process, cl: ev.command ?? '' };
  if ('process' in ev) return { p: ev.process, cl: ev.process?.commandLine ?? '' };
  return { cl: '' };
}

const anyGlob = (pats: string[] | undefined, text: string): boolean => !pats || pats.some((g) => globMatch(g, squash(text)));
const anyName = (names: string[] | undefined, n: string): boolean => !names || names.includes(n);

/** The first entry that allows `ev` for `detectorId`, or null. */
export function matchAllowlist(entries: readonly AllowEntry[], detectorId: string, ev: ShellEvent): AllowEntry | null {
  const { p, cl } = subject(ev);
  const chain = chainOf(ev);
  for (const e of entries) {
    if (!e.detectors.includes('*') && !e.detectors.includes(detectorId)) continue;
    if (!anyName(e.image, procName(p))) continue;
    if (!anyName(e.parent, procName(chain[0]))) continue;
    if (e.ancestor && !chain.some((a) => e.ancestor!.includes(procName(a)))) continue;
    if (e.user && !e.user.includes((ev.user ?? p?.user ?? '').toLowerCase())) continue;
    if (!anyGlob(e.commandLine, cl) || !anyGlob(e.parentCommandLine, chain[0]?.commandLine ?? '')) continue;
    return e;
  }
  return null;
}

/** A DetectContext over an allowlist that counts suppressions per entry id. */
export function allowlistContext(list: Allowlist): DetectContext & { suppressed: Map<string, number> } {
  const suppressed = new Map<string, number>();
  return {
    suppressed,
    allowed(detectorId, ev) {
      const e = matchAllowlist(list.entries, detectorId, ev);
      if (e) suppressed.set(e.id, (suppressed.get(e.id) ?? 0) + 1);
      return e !== null;
    },
  };
}
