/**
 * Process-name vocabulary for the built-in detectors, read once from catalog.yaml (data, not code).
 * Every lookup goes through procName(), which is cheap and is the pre-filter each detector runs first.
 */
import { readFileSync } from 'node:fs';
import { stem, type ProcessInfo, parseYaml } from '../../../core/index.js';

interface Catalog {
  shells: string[];
  powershell: string[];
  scriptHosts: string[];
  interpreters: string[];
  clientApps: Record<string, string[]>;
  servers: Record<string, string[]>;
  serverMarkers: Record<string, string[]>;
  schedulers: Record<string, string[]>;
  terminals: string[];
}

const raw = parseYaml(readFileSync(new URL('./catalog.yaml', import.meta.url), 'utf8')) as Catalog;

const set = (xs: string[]): ReadonlySet<string> => new Set(xs.map((x) => x.toLowerCase()));
/** Builds name → category from a `{category: [names]}` map (first category wins). */
function categoryMap(m: Record<string, string[]>): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const [cat, names] of Object.entries(m)) for (const n of names) if (!out.has(n)) out.set(n.toLowerCase(), cat);
  return out;
}

export const SHELLS = set(raw.shells);
export const POWERSHELL = set(raw.powershell);
export const SCRIPT_HOSTS = set(raw.scriptHosts);
export const INTERPRETERS = set(raw.interpreters);
export const CLIENT_APPS = categoryMap(raw.clientApps);
export const SERVERS = categoryMap(raw.servers);
export const SERVER_MARKERS: Readonly<Record<string, string[]>> = raw.serverMarkers;
export const SCHEDULERS = categoryMap(raw.schedulers);
export const TERMINALS = set(raw.terminals);

const VERSIONED = /^(python|perl|ruby|php-fpm|php|pwsh|lua|node|tclsh)[\d.]*[mw]?$/;

/** Normalised process name: lower-case stem, version suffixes folded (python3.11 → python). */
export function nameOf(image: string | undefined | null): string {
  const s = stem(image);
  if (s.length > 64) return s.slice(0, 64);
  const m = VERSIONED.exec(s);
  return m ? m[1] : s.startsWith('tomcat') ? 'tomcat' : s;
}

/** Name of a process: its image, or lacking one the first word of its command line. */
export function procName(p: ProcessInfo | undefined): string {
  if (!p) return '';
  if (p.image) return nameOf(p.image);
  const cl = p.commandLine?.trimStart() ?? '';
  if (!cl) return '';
  const end = cl.startsWith('"') ? cl.indexOf('"', 1) : cl.search(/\s/);
  return nameOf(cl.slice(cl.startsWith('"') ? 1 : 0, end < 0 ? Math.min(cl.length, 260) : end));
}

/** Shells and script hosts that always run code (cmd, sh, powershell, wscript, mshta …). */
export function isShellName(n: string): boolean {
  return SHELLS.has(n) || POWERSHELL.has(n) || SCRIPT_HOSTS.has(n);
}

/** An interpreter used as a shell: inline code (-c/-e/-r/--eval/-Command) or no arguments (interactive). */
export function isInterpreterShell(p: ProcessInfo): boolean {
  const n = procName(p);
  if (!INTERPRETERS.has(n)) return false;
  const cl = (p.commandLine ?? '').slice(0, 4096);
  return /(?:^|\s)(?:-[a-zA-Z]*[cer]|--eval|-i|--interactive)(?:\s|$)/.test(cl) || /^\S+\s*$/.test(cl.trim());
}

/** Shell, script host, or interpreter running inline code. */
export function isShellLike(p: ProcessInfo | undefined): boolean {
  if (!p) return false;
  return isShellName(procName(p)) || isInterpreterShell(p);
}
