/**
 * The explained obfuscation score: each feature that fires adds its weight and keeps a sample, so
 * an alert can say exactly why it scored what it scored. Every pattern here is linear-time (no
 * nested quantifiers) and runs on text already bounded to 64 KiB.
 */
import type { Analysis } from './script.js';

export interface Feature { name: string; weight: number; sample: string }

type Probe = (text: string, win: boolean) => Feature | null;

const count = (re: RegExp, s: string): number => { let n = 0; re.lastIndex = 0; while (re.exec(s)) if (++n > 500) break; return n; };
const first = (re: RegExp, s: string): string => (new RegExp(re.source, re.flags.replace('g', '')).exec(s)?.[0] ?? '').slice(0, 80);

/** A counted feature: fires at `min` hits, weight grows with the count up to `max`. */
function counted(name: string, re: RegExp, min: number, base: number, max: number, per = 0): Probe {
  return (t) => {
    const n = count(re, t);
    if (n < min) return null;
    return { name, weight: Math.min(max, base + Math.floor((n - min) * per)), sample: `${n}x ${first(re, t)}` };
  };
}
const once = (name: string, re: RegExp, weight: number, winOnly = false): Probe => (t, win) =>
  (winOnly && !win) || !re.test(t) ? null : { name, weight, sample: first(re, t) };

/** Probes over any text (command line, inline scripts, decoded layers). */
const PROBES: Probe[] = [
  counted('caret-escapes', /\^[A-Za-z0-9^]/g, 4, 2, 4, 0.2),
  counted('cmd-substring-expansion', /%[A-Za-z_][\w()]{0,40}:~[ \t]{0,12}[-+]?\d{1,4}(?:[ \t]{0,12},[ \t]{0,12}[-+]?\d{1,4})?[ \t]{0,12}%/g, 1, 3, 5, 1),
  counted('cmd-set-chain', /(?:^|[&(\s",;])set[\s,;]+[^\s=&]{1,40}=/gi, 3, 2, 3, 0.1),
  once('cmd-call-variable', /\bcall[\s,;]+(?:set[\s,;]+[^\s=]{1,40}=)?%[^%]{1,40}%/i, 3),
  once('cmd-delayed-expansion', /![A-Za-z_]\w{0,40}(?::~-?\d+(?:,-?\d+)?)?!/, 1, true),
  once('cmd-for-assoc-trick', /'[\s,;(]*(?:assoc|ftype)\b/i, 4),
  once('for-variable-as-program', /\bdo[\s,;(]*%[\w~]{1,3}[\s,;]/i, 3),
  counted('delayed-substring', /![A-Za-z_#{}[\]`~\w]{1,40}:~[^!\s]{1,12}!/g, 1, 3, 4, 0.5),
  once('cmd-reverse-loop', /\bfor[\s,;]{1,40}\/L[\s,;]{1,40}%\S{1,3}[\s,;]{1,40}in[\s,;]{0,40}\([\s,;]{0,40}[-+]?\d{1,4}[\s,;]{1,40}-\s?\d{1,4}[\s,;]{1,40}[-+]?\d{1,4}/i, 3),
  counted('delimiter-runs', /(?:[,;][ \t]*){4,}/g, 2, 2, 3, 0.1),
  counted('quote-fragmentation', /[A-Za-z]"{1,2}[A-Za-z]"{1,2}[A-Za-z]/g, 2, 2, 3, 0.2),
  counted('char-code-assembly', /\[char\]\s*\(?\s*(?:0x[0-9a-f]{1,4}|\d{1,5})/gi, 3, 3, 5, 0.1),
  once('char-array-cast', /\[char\[\]\]/i, 2),
  once('char-code-array', /\[char\[\]\]\s*\(\s*\d{2,3}\s*(?:,\s*\d{2,3}\s*){4}/i, 3),
  counted('chr-calls', /\bchrw?\s*\(\s*\d{1,5}\s*\)/gi, 4, 3, 4, 0.1),
  once('fromcharcode', /fromcharcode\s*\(/i, 2),
  once('join-operator', /-join\b|\[string\]::join/i, 1),
  once('bxor', /-bxor\b/i, 2),
  counted('string-concatenation', /['"]\s*\+\s*['"]/g, 3, 2, 3, 0.1),
  once('format-operator', /["'](?:\{\d{1,2}\}){2,}[^"']{0,20}["']\s*-f\b/i, 3),
  counted('backtick-escapes', /[A-Za-z]`[A-Za-z]/g, 2, 2, 3, 0.2),
  once('invoke-expression', /\b(?:iex|invoke-expression)\b|\.invoke\s*\(|&\s*\(\s*[$\-[]/i, 2),
  once('env-char-indexing', /\$(?:pshome|env:comspec|shellid|verbosepreference)\s*\[/i, 3),
  // a command name assembled from characters of environment strings: $PSHome[4]+$PSHome[30]+'x' → iex
  once('name-from-env-chars', /\$(?:pshome|env:comspec|shellid|verbosepreference)\s*\[\s*\d{1,3}\s*\]\s*\+\s*\$(?:pshome|env:comspec|shellid|verbosepreference)\s*\[/i, 2),
  once('frombase64string', /frombase64string/i, 3),
  once('compression-stream', /deflatestream|gzipstream|io\.compression/i, 2),
  once('reversed-string', /\[\s*-1\s*\.\.\s*-|\[array\]::reverse/i, 2),
  counted('hex-escapes', /\\x[0-9a-fA-F]{2}/g, 8, 2, 3, 0.05),
  once('ifs-substitution', /\$\{IFS\}|\$IFS[^A-Za-z_=]/, 2),
  once('long-base64', /[A-Za-z0-9+/]{120,}={0,2}/, 2),
  // remote code run straight from memory: what runs is never in the log, only where it came from
  once('download-cradle-executed', /\b(?:iex|invoke-expression)\b[^\n]{0,80}(?:downloadstring|downloaddata|invoke-webrequest|invoke-restmethod|\biwr\b|\birm\b)|(?:downloadstring|downloaddata|invoke-webrequest|invoke-restmethod|\biwr\b|\birm\b)[^\n|]{0,200}\|\s*(?:iex|invoke-expression)\b|\[scriptblock\]::create\s*\([^\n]{0,80}(?:downloadstring|downloaddata)/i, 5),
];

/** cmd.exe and PowerShell escape syntax: meaningless (and common in regexes) on POSIX command lines. */
const WIN_ONLY = new Set(['caret-escapes', 'for-variable-as-program', 'delayed-substring', 'cmd-substring-expansion', 'cmd-set-chain', 'cmd-call-variable', 'cmd-for-assoc-trick', 'cmd-reverse-loop', 'delimiter-runs', 'quote-fragmentation', 'backtick-escapes']);

/** Launcher flags typical of encoded stagers; weak alone, they tip a borderline score. */
const LAUNCHER = /(?:^|\s)[-/\u2013\u2014](?:w(?:indowstyle)?\s+h(?:idden)?|nop(?:rofile)?|noni(?:nteractive)?|exec(?:utionpolicy)?\s+bypass|ep\s+bypass|sta)\b/gi;

/** Features per analysis (analyses are immutable, and repeated script texts share one). */
const memo = new WeakMap<Analysis, Feature[]>();

/** Scores a process's command line, scripts and decoded layers; returns the features that fired. */
export function obfuscationFeatures(a: Analysis, extra: Feature[] = []): Feature[] {
  if (extra.length) return computeFeatures(a, extra);
  let f = memo.get(a);
  if (!f) { f = computeFeatures(a, []); memo.set(a, f); }
  return f;
}

function computeFeatures(a: Analysis, extra: Feature[]): Feature[] {
  const win = a.name === 'cmd' || a.name.startsWith('power') || a.name === 'pwsh' || /\\/.test(a.commandLine.slice(0, 300));
  // cmd removes carets before it parses: probe the caret-free form too (c^a^l^l → call)
  const texts = [a.commandLine, ...(win && a.commandLine.includes('^') ? [a.commandLine.replace(/\^/g, '')] : []), ...a.decoded.map((d) => d.text)];
  const out = new Map<string, Feature>();
  for (const t of texts) {
    for (const probe of PROBES) {
      const f = probe(t, win);
      if (f && !win && WIN_ONLY.has(f.name)) continue;
      if (f && (out.get(f.name)?.weight ?? 0) < f.weight) out.set(f.name, f);
    }
  }
  const flags = count(LAUNCHER, a.commandLine);
  if (flags >= 2) out.set('stager-flags', { name: 'stager-flags', weight: Math.min(2, flags - 1), sample: first(LAUNCHER, a.commandLine).trim() });
  const odd = a.steps.find((s) => !s.top && /%\w{1,40}:~-?\d{1,4}(?:,-?\d{1,4})?%/.test(s.words[0] ?? ''));
  if (odd && win) out.set('obfuscated-program-name', { name: 'obfuscated-program-name', weight: 3, sample: (odd.words[0] ?? '').slice(0, 80) });
  const ansi = a.steps.reduce((n, s) => n + s.ansiEscapes, 0);
  if (ansi >= 4) out.set('ansi-c-escapes', { name: 'ansi-c-escapes', weight: ansi >= 12 ? 3 : 2, sample: `${ansi} escapes in $'…'` });
  for (const f of extra) out.set(f.name, f);
  return [...out.values()].sort((x, y) => y.weight - x.weight || x.name.localeCompare(y.name));
}

/** Sum of feature weights. */
export const scoreOf = (fs: Feature[]): number => fs.reduce((s, f) => s + f.weight, 0);
