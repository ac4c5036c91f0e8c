/**
 * POSIX shell deobfuscation: variable splicing (a=ca;b=t;$a$b), ${IFS}, $'\x..' strings and
 * quote/backslash noise are undone by re-reading the script's words; decode pipelines
 * (echo|printf … | base64 -d | xxd -r | rev | gunzip … | sh) and `eval` / `sh -c` of
 * substituted text are evaluated over data. Nothing is executed.
 */
import type { Budget } from '../budget.js';
import { bytesText, fromBase64, fromHex, inflate } from '../bytes.js';
import type { Found } from '../ps/decode.js';
import { ansiC, posixCommands, type PosixCommand } from '../tokenize/posix.js';
import { interpreterPayload } from './interpreters.js';

const SINK = /^(sh|bash|zsh|dash|ksh|ash|mksh|eval|source|\.|python[23]?|perl|ruby|php|node)$/;
const base = (w: string | undefined): string => (w ?? '').replace(/^.*\//, '');

interface Flow { data: string; tech: string[] }

/** printf's format: %s / %b / %c consume arguments, backslash escapes decode. */
function printf(args: string[]): string {
  let k = 1;
  const fmt = args[0] ?? '';
  const out = fmt.replace(/%([%sbcd])/g, (m, c: string) => (c === '%' ? '%' : c === 'b' ? ansiC(args[k++] ?? '').text : args[k++] ?? ''));
  return ansiC(out.replace(/\\0([0-7]{1,3})/g, '\\$1')).text + (args.length > k && !/%/.test(fmt) ? '' : '');
}

/** The data a pipeline's first command produces (echo, printf, a here-string), or null. */
function source(c: PosixCommand): Flow | null {
  const here = c.words.indexOf('<<<');
  if (here >= 0) return { data: (c.words[here + 1] ?? '') + '\n', tech: [] };
  const [cmd, ...args] = c.words;
  // data from a variable or command the script did not define is unknown, not decodable
  if (args.some((a) => /\$[\w{(]|`/.test(a))) return null;
  if (base(cmd) === 'echo') {
    let e = false;
    while (/^-[neE]+$/.test(args[0] ?? '')) { if (args[0].includes('e')) e = true; args.shift(); }
    const t = args.join(' ');
    return { data: e ? ansiC(t).text : t, tech: e && /\\/.test(t) ? ['printf'] : [] };
  }
  if (base(cmd) === 'printf') return { data: printf(args), tech: /\\[x0-7u]|%b/.test(args.join(' ')) ? ['printf'] : [] };
  return null;
}

/** One filter stage over the data, or null when the command is not a decoder. */
function filter(c: PosixCommand, f: Flow, max: number): Flow | null {
  const [cmd, ...args] = c.words;
  const a = args.join(' ');
  const n = base(cmd);
  const text = (b: Buffer | null, t: string): Flow | null => { if (!b) return null; const x = bytesText(b) ?? (inflate(b, max) ? bytesText(inflate(b, max)!) : null); return x ? { data: x.text, tech: [...f.tech, t] } : { data: b.toString('latin1'), tech: [...f.tech, t] }; };
  if ((n === 'base64' || n === 'base32') && /(^|\s)(-\w*d\w*|--decode|-D)\b/.test(a)) return text(fromBase64(f.data, max), 'base64-pipe');
  if (n === 'openssl' && /base64/.test(a) && /(^|\s)-d\b/.test(a)) return text(fromBase64(f.data, max), 'base64-pipe');
  if (n === 'xxd' && /(^|\s)-\w*r/.test(a)) return text(fromHex(f.data, max), 'xxd');
  if (n === 'rev') return { data: f.data.split('\n').map((l) => [...l].reverse().join('')).join('\n').replace(/^\n/, ''), tech: [...f.tech, 'rev'] };
  if (/^(gunzip|zcat|gzip|zlib-flate|uncompress)$/.test(n)) { const b = inflate(Buffer.from(f.data, 'latin1'), max); return b ? { data: b.toString('utf8'), tech: [...f.tech, 'gzip'] } : null; }
  if (n === 'tr' && args.length === 2 && /^['"]?A-Za-z['"]?$/.test(args[0]) && /^['"]?N-ZA-Mn-za-m['"]?$/.test(args[1])) return { data: f.data.replace(/[a-z]/gi, (ch) => String.fromCharCode(((ch.toLowerCase().charCodeAt(0) - 97 + 13) % 26) + (ch < 'a' ? 65 : 97))), tech: [...f.tech, 'rot13'] };
  return null;
}

/** Runs each pipeline's decoders; returns the decoded data of those that reach a shell or interpreter (or a substitution). */
function pipelines(cmds: PosixCommand[], max: number, sub: boolean): Found[] {
  const out: Found[] = [];
  for (let i = 0; i < cmds.length; i++) {
    let f = source(cmds[i]);
    if (!f) continue;
    let j = i + 1;
    for (; j < cmds.length && cmds[j].op === '|'; j++) {
      const g = filter(cmds[j], f, max);
      if (!g) break;
      f = g;
    }
    const sink = j < cmds.length && cmds[j].op === '|' && SINK.test(base(cmds[j].words[0]));
    if (f.tech.length && (sink || sub) && f.data.trim()) out.push({ technique: f.tech[f.tech.length - 1], text: f.data.trim(), start: 0, end: 0 });
    i = j - 1;
  }
  return out;
}

const quoteWord = (w: string): string => (w === '' ? "''" : /^[\w@%+=:,./~-]+$/.test(w) || /^[<>|&;]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

/** The script re-read with literal variables spliced, $'…' decoded, quotes normalised. */
function reread(text: string, budget: Budget, found: Found[]): { text: string; tech: Set<string> } {
  const vars = new Map<string, string>();
  const tech = new Set<string>();
  const max = budget.room();
  const cmds = posixCommands(text, {
    variable: (n) => { const v = vars.get(n); if (v !== undefined) tech.add('variable-splice'); return v; },
    substitute: (inner) => {
      if (!budget.step()) return null;
      const r = pipelines(posixCommands(inner), max, true);
      if (!r.length) return null;
      found.push(...r);
      tech.add(r[r.length - 1].technique);
      return r[r.length - 1].text;
    },
    command: (c) => {
      for (const w of c.words) { const m = /^([A-Za-z_]\w*)=(.*)$/s.exec(w); if (m && c.words.every((x) => /^[A-Za-z_]\w*=/.test(x))) vars.set(m[1], m[2]); }
      if (c.ansiC) tech.add('posix-ansi-c');
      if (c.ifs) tech.add('ifs');
    },
  });
  const rebuilt = cmds.map((c) => (c.op && c.op !== ';' ? ` ${c.op} ` : c.op ? '; ' : '') + c.words.map(quoteWord).join(' ')).join('');
  return { text: rebuilt, tech };
}

/** Decoded layers of a POSIX shell command line or script. */
export function posixDecode(text: string, budget: Budget): Found[] {
  const found: Found[] = [];
  const { text: re, tech } = reread(text, budget, found);
  const cmds = posixCommands(re);
  found.push(...pipelines(cmds, budget.room(), false));
  for (const c of cmds) {
    const n = base(c.words[0]);
    if (n === 'eval' && c.words.length > 1 && !/\$\(|`/.test(c.words.slice(1).join(' '))) found.push({ technique: 'eval', text: c.words.slice(1).join(' '), start: 0, end: 0 });
    else if (/^(sh|bash|zsh|dash|ksh)$/.test(n) && c.words[1] === '-c' && c.words[2] && tech.size) found.push({ technique: [...tech].pop()!, text: c.words[2], start: 0, end: 0 });
    const code = interpreterPayload(c.words, budget.room());
    if (code) found.push({ ...code, start: 0, end: 0 });
  }
  const squash = (s: string): string => s.replace(/['"\s\\;]/g, '');
  // quotes splitting a word (c''at, w"h"o) or letters escaped outside quotes (c\a\t)
  const unquoted = text.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, ' ');
  if ((/[a-z](?:''|"")[a-z]|[a-z]'[a-z]{1,3}'[a-z]|[a-z]"[a-z]{1,3}"[a-z]/i.test(text) || /[a-z]\\[a-z]/i.test(unquoted)) && re !== text) tech.add('posix-quote-noise');
  if (tech.size && (squash(re) !== squash(text) || tech.has('posix-quote-noise'))) found.unshift({ technique: pick(tech), text: re, start: 0, end: text.length });
  return found.map((f) => ({ ...f, end: f.end || text.length }));
}

function pick(tech: Set<string>): string {
  for (const t of ['variable-splice', 'posix-ansi-c', 'ifs', 'base64-pipe', 'xxd', 'rev', 'printf']) if (tech.has(t)) return t;
  return [...tech][0] ?? 'posix-quote-noise';
}
