/**
 * The shipped allowlist (rules/allowlist/*.yaml) as data: known-good shell activity such as the
 * distribution's stock cron jobs. Loading collects problems as SW4004 diagnostics and keeps going.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diag, type DetectContext, type Diagnostic, type ProcessInfo, type ShellEvent, parseYaml } from '../../core/index.js';
import { commandTemplate } from '../baseline/mask.js';
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
  /** globs over the full image path (vendor install folders: "signed paths") */
  imagePath?: string[];
  /** globs over the command template (the command line masked as baselines mask it, docs/baseline.md) */
  template?: string[];
  /** host groups the entry is limited to (groups configuration); absent: every host */
  hostGroups?: string[];
  /** file the entry came from */
  source: string;
}

export interface Allowlist { entries: AllowEntry[]; diagnostics: Diagnostic[] }

/** rules/allowlist beside the package root (works from src/ under tsx and from dist/). */
export const defaultAllowlistDir = (): string => fileURLToPath(new URL('../../../rules/allowlist/', import.meta.url));

const LIST_FIELDS = ['detectors', 'image', 'parent', 'ancestor', 'commandLine', 'parentCommandLine', 'user', 'imagePath', 'template', 'hostGroups'] as const;
/** Fields compared as whitespace-collapsed globs (kept as written; matching folds case). */
const GLOB_FIELDS: ReadonlySet<string> = new Set(['commandLine', 'parentCommandLine', 'imagePath', 'template']);

/** Resolves a host to its host groups, for entries limited by `hostGroups`. */
export interface AllowScope { hostGroups(host: string): readonly string[] }

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
  try { doc = parseYaml(readFileSync(file, 'utf8')); } catch (e) {
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
    e[k] = arr.map((x: string) => (GLOB_FIELDS.has(k) ? squash(x) : x.toLowerCase()));
  }
  if (!e.detectors.length) return 'detectors is required (use "*" for all)';
  if (!e.image && !e.commandLine && !e.parent && !e.imagePath && !e.template) return 'needs at least one of image, parent, commandLine, imagePath, template';
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

/** The event's view for matching, with its template computed at most once. */
interface View { ev: ShellEvent; p?: ProcessInfo; cl: string; chain: ProcessInfo[]; tpl?: string }

function templateOf(v: View): string {
  if (v.tpl === undefined) {
    const proc = v.ev.kind === 'task_created' || v.ev.kind === 'service_created' ? { commandLine: v.cl } : v.p;
    v.tpl = commandTemplate(proc) ?? '';
  }
  return v.tpl;
}

function inGroups(e: AllowEntry, host: string, scope: AllowScope | undefined): boolean {
  if (!e.hostGroups) return true;
  if (!scope) return false;
  return scope.hostGroups(host).some((g) => e.hostGroups!.includes(g.toLowerCase()));
}

function entryMatches(e: AllowEntry, v: View, scope: AllowScope | undefined): boolean {
  if (!anyName(e.image, procName(v.p)) || !anyName(e.parent, procName(v.chain[0]))) return false;
  if (e.ancestor && !v.chain.some((a) => e.ancestor!.includes(procName(a)))) return false;
  if (e.user && !e.user.includes((v.ev.user ?? v.p?.user ?? '').toLowerCase())) return false;
  if (!anyGlob(e.commandLine, v.cl) || !anyGlob(e.parentCommandLine, v.chain[0]?.commandLine ?? '')) return false;
  if (e.imagePath && !anyGlob(e.imagePath, v.p?.image ?? '')) return false;
  if (e.template && !anyGlob(e.template, templateOf(v))) return false;
  return inGroups(e, v.ev.host, scope);
}

/**
 * The first entry that allows `ev` for `detectorId`, or null. Entries limited by `hostGroups` match
 * only when `scope` is given and puts the event's host in one of them.
 */
export function matchAllowlist(entries: readonly AllowEntry[], detectorId: string, ev: ShellEvent, scope?: AllowScope): AllowEntry | null {
  const v: View = { ev, ...subject(ev), chain: chainOf(ev) };
  for (const e of entries) {
    if (!e.detectors.includes('*') && !e.detectors.includes(detectorId)) continue;
    if (entryMatches(e, v, scope)) return e;
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
