/**
 * Command templates: a command line with its variable parts masked, so `ping -n 4 10.0.0.7` and
 * `ping -n 2 10.0.0.9` are one template. Deterministic and linear-time (every pattern is a bounded
 * character-class run; no nested quantifiers), because command lines are attacker-controlled.
 * The rules, in order, are listed in docs/baseline.md.
 */
import type { ProcessInfo } from '../../core/index.js';
import { procName } from '../builtin/lib/names.js';

/** Longest command line looked at; the rest is cut before masking. */
export const MAX_MASK_INPUT = 4096;
/** Longest template kept (after masking). */
export const MAX_TEMPLATE = 1024;

export interface MaskOptions {
  /** quoted strings with at least this many characters inside the quotes become `"<str>"` (default 80) */
  quotedMin?: number;
}

const GUID = /\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?/g;
const WIN_PROFILE = /([a-zA-Z]:\\(?:users|documents and settings)\\)[^\\\s"'|;&<>]+/gi;
const POSIX_PROFILE = /(^|[\s"'=:])(\/(?:home|users)\/)[^/\s"'|;&<>]+/gi;
const TEMP = /(\\appdata\\local\\temp\\|\\windows\\temp\\|%temp%\\|%tmp%\\|\$env:temp\\|\/tmp\/|\/var\/tmp\/|\/dev\/shm\/)[^\s"'|;&<>]+/gi;
const HEX_PREFIXED = /\b0x[0-9a-fA-F]+\b/g;
const HEX_RUN = /(?<![A-Za-z0-9+/])[0-9a-fA-F]{8,}(?![A-Za-z0-9+/=])/g;
const B64_RUN = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{32,}={0,2}(?![A-Za-z0-9+/=])/g;
const IPV4 = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])/g;
const IPV6 = /(?<![\w:.])(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{1,4}(?![\w:])/g;
const NUMBER = /(?<!\d)\d+(?![A-Za-z0-9])/g;
/** Digit suffixes of constant names (win32, x64, x86, utf16) that are not masked. */
const WORD_WIDTHS: ReadonlySet<string> = new Set(['8', '16', '32', '64', '86']);

const hasDigit = (s: string): boolean => /\d/.test(s);
const hasHexLetter = (s: string): boolean => /[a-fA-F]/.test(s);

/** A base64 run, not a long word or a slash-separated path: mixed case or digits, few slashes. */
function isBase64(run: string): boolean {
  const slashes = run.split('/').length - 1;
  if (slashes * 16 > run.length) return false;
  const upper = /[A-Z]/.test(run);
  const lower = /[a-z]/.test(run);
  return (upper && lower) || (hasDigit(run) && (upper || lower));
}

/** Quoted strings at least `min` characters long become `"<str>"` / `'<str>'` (one pass, no backtracking). */
function maskQuoted(s: string, min: number): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const q = s[i];
    if (q !== '"' && q !== "'") { out += q; i++; continue; }
    const end = s.indexOf(q, i + 1);
    if (end < 0) { out += s.slice(i); break; }
    out += end - i - 1 >= min ? `${q}<str>${q}` : s.slice(i, end + 1);
    i = end + 1;
  }
  return out;
}

/** Masks the variable parts of a command line (arguments only or a whole line) and lower-cases it. */
export function maskCommand(text: string, opts: MaskOptions = {}): string {
  let s = text.length > MAX_MASK_INPUT ? text.slice(0, MAX_MASK_INPUT) : text;
  s = maskQuoted(s, opts.quotedMin ?? 80);
  s = s.replace(GUID, '<guid>');
  s = s.replace(WIN_PROFILE, '$1<user>');
  s = s.replace(POSIX_PROFILE, '$1$2<user>');
  s = s.replace(TEMP, '$1<tmp>');
  s = s.replace(HEX_PREFIXED, '<hex>');
  s = s.replace(HEX_RUN, (m) => (hasDigit(m) && hasHexLetter(m) ? '<hex>' : m));
  s = s.replace(B64_RUN, (m) => (isBase64(m) ? '<b64>' : m));
  s = s.replace(IPV4, '<ip>');
  s = s.replace(IPV6, (m) => (hasDigit(m) && m.split(':').filter(Boolean).length >= 2 ? '<ip>' : m));
  s = s.replace(NUMBER, (m, at: number, all: string) => (at > 0 && /[A-Za-z]/.test(all[at - 1]) && WORD_WIDTHS.has(m) ? m : '<n>'));
  s = s.toLowerCase().replace(/\s+/g, ' ').trim();
  return s.length > MAX_TEMPLATE ? `${s.slice(0, MAX_TEMPLATE)}…` : s;
}

/** The command line without its first word (the program), as typed. */
export function argumentsOf(commandLine: string, image?: string): string {
  const cl = commandLine.trimStart();
  if (cl.startsWith('"')) {
    const end = cl.indexOf('"', 1);
    return end < 0 ? '' : cl.slice(end + 1);
  }
  if (image && cl.length >= image.length && cl.slice(0, image.length).toLowerCase() === image.toLowerCase()) {
    const rest = cl.slice(image.length);
    if (rest === '' || /^\s/.test(rest)) return rest;
  }
  const sp = cl.search(/\s/);
  return sp < 0 ? '' : cl.slice(sp);
}

/**
 * The template of a process: its name (lower-case stem, version folded) and its masked arguments,
 * so `"C:\Windows\System32\cmd.exe" /c …` and `cmd /c …` share one. Null when nothing names it.
 */
export function commandTemplate(p: ProcessInfo | undefined, opts: MaskOptions = {}): string | null {
  if (!p) return null;
  const name = procName(p);
  if (!name) return null;
  const args = p.commandLine ? maskCommand(argumentsOf(p.commandLine, p.image), opts) : '';
  return args ? `${name} ${args}` : name;
}
