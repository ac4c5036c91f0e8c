/**
 * PowerShell decoders for the layer driver: powershell.exe command lines (-EncodedCommand in
 * every spelling, -Command), payloads that reach Invoke-Expression after static evaluation, and
 * in-place folding of constant sub-expressions (concatenation, -f, -replace, -join, [char]
 * codes, backticks) so a script reads as what it does.
 */
import type { Budget } from '../budget.js';
import { winArgv } from '../tokenize/winargv.js';
import { Evaluator } from './eval.js';
import { lex, type Tok } from './lex.js';

/** A decoded piece of text and where in its source it came from. */
export interface Found { technique: string; text: string; start: number; end: number }

const DASHES = /^[-/\u2013\u2014\u2015]/;
const VALUED_FULL = ['executionpolicy', 'windowstyle', 'version', 'psconsolefile', 'inputformat', 'outputformat', 'configurationname', 'workingdirectory', 'settingsfile', 'custompipename', 'encodedarguments'];
/** Parameters that take a value (any unambiguous prefix, and the short aliases). */
const valued = (n: string): boolean => /^(ep|w|v|wd|if|of|ea)$/.test(n) || (n.length >= 2 && VALUED_FULL.some((f) => f.startsWith(n)));

/** True when a switch name (without dash) selects -EncodedCommand: any prefix of it, or -ec. */
export const isEncodedSwitch = (n: string): boolean => n === 'ec' || (n.length >= 1 && 'encodedcommand'.startsWith(n));

/** The -EncodedCommand / -Command payload of a powershell.exe or pwsh command line. */
export function psCommandLine(text: string): Found[] {
  // cmd ends a program name at ; and , too (powershell;"…" from a cmd line)
  const argv = winArgv(text.length > 1 << 20 ? '' : text.replace(/^(\s*"?[^\s";,]*?(?:powershell|pwsh)(?:_ise)?(?:\.exe)?"?)[;,]+/i, '$1 '), 1 << 20);
  if (!argv.length || !/(^|[\\/])(powershell|pwsh)(_ise)?(\.exe)?[;,]*$/i.test(argv[0].replace(/["']/g, ''))) return [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (!DASHES.test(a) || a.length < 2) {
      return commandFound(text, argv.slice(i).join(' '));
    }
    const n = a.slice(1).toLowerCase().replace(/:.*$/, '');
    if (isEncodedSwitch(n)) return encoded(text, argv[i + 1] ?? '');
    if (n === 'c' || (n.length >= 2 && 'command'.startsWith(n))) return commandFound(text, argv.slice(i + 1).join(' '));
    if (n === 'f' || (n.length >= 2 && 'file'.startsWith(n))) return [];
    if (valued(n)) i++;
  }
  return [];
}

function encoded(text: string, value: string): Found[] {
  const clean = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]{4,}={0,2}$/.test(clean)) return [];
  const b = Buffer.from(clean, 'base64');
  const utf16 = b.toString('utf16le');
  const ok = (s: string): boolean => s.length > 0 && !/[\x00-\x08\x0e-\x1f]/.test(s.slice(0, 4000));
  const t = ok(utf16) ? utf16 : ok(b.toString('utf8')) ? b.toString('utf8') : null;
  if (!t) return [];
  const at = text.indexOf(value);
  return [{ technique: 'powershell-encodedcommand', text: t.replace(/^\ufeff/, ''), start: Math.max(0, at), end: at < 0 ? text.length : at + value.length }];
}

function commandFound(text: string, cmd: string): Found[] {
  const c = cmd.trim();
  if (!c || c === '-') return [];
  const at = text.indexOf(c);
  // a plain tail of the command line is not a new layer; unescaped or unquoted text is
  return [{ technique: 'powershell-command', text: c, start: at < 0 ? 0 : at, end: at < 0 ? text.length : at + c.length }];
}

const PRIORITY = ['securestring', 'gzip', 'deflate', 'frombase64string', 'xor', 'hex', 'octal', 'binary', 'char-array', 'reverse', 'format-operator', 'replace', 'split', 'char-index', 'join', 'string-concat'];

/** Names one layer's technique from what its evaluation used (most specific first). */
export function psTechnique(tech: Iterable<string>): string {
  const set = new Set(tech);
  const enc = [...set].find((t) => t.startsWith('getstring-'));
  if (set.has('frombase64string') && !set.has('gzip') && !set.has('deflate') && !set.has('securestring')) {
    return `frombase64string-${enc === 'getstring-unicode' ? 'utf16le' : enc ? enc.slice(10) : 'bytes'}`;
  }
  const hit = PRIORITY.find((t) => set.has(t));
  return hit === 'frombase64string' ? 'frombase64string-bytes' : hit ?? 'iex';
}

/** Strings a script hands to Invoke-Expression (or [scriptblock]::Create, & / . on a string), evaluated statically. */
export function psPayloads(text: string, budget: Budget): Found[] {
  const ev = new Evaluator(budget);
  try { ev.run(text); } catch { return []; }
  return ev.payloads.map((p) => ({ technique: psTechnique(p.techniques), text: p.text, start: p.at, end: Math.max(p.end, p.at) }));
}

/** Tokens a constant expression may contain (literals, string operators, casts, well-known variables). */
function foldable(t: Tok): boolean {
  switch (t.kind) {
    case 'str': case 'num': return true;
    case 'xstr': return !t.v.includes('$');
    case 'op': return /^-(f|join|replace|ireplace|creplace|split|bxor)$/.test(t.v);
    case 'punct': return /^(\+|,|\(|\)|\[|\]|\.\.)$/.test(t.v);
    case 'type': return /^(char|string|char\[\]|int|byte)$/i.test(t.v);
    case 'var': return /^(pshome|shellid|env:\w+|verbosepreference)$/i.test(t.v);
    default: return false;
  }
}

/** Folds constant parenthesised expressions and backticked words in place; null when nothing changed. */
export function psFold(text: string, budget: Budget): Found | null {
  const toks = lex(text);
  const edits: { start: number; end: number; to: string }[] = [];
  const used = new Set<string>();
  for (let i = 0; i < toks.length && budget.step(); i++) {
    const t = toks[i];
    if (t.kind === 'word' && text.slice(t.at, t.end).includes('`')) { edits.push({ start: t.at, end: t.end, to: t.v }); used.add('backtick'); continue; }
    // ."S`Plit" / ::"SecURi`T`ypRO`T`oCOL": a quoted, backticked member name is just the name
    if ((t.kind === 'xstr' || t.kind === 'str') && i > 0 && (toks[i - 1].v === '.' || toks[i - 1].v === '::') && /^[\w`]+$/.test(t.v) && t.v.includes('`')) {
      edits.push({ start: t.at, end: t.end, to: t.v.replace(/`/g, '') });
      used.add('backtick');
      continue;
    }
    if (!(t.kind === 'punct' && t.v === '(')) continue;
    const prev = toks[i - 1];
    if (prev && !t.space && (prev.kind === 'word' || prev.kind === 'var' || prev.v === ')' || prev.v === ']')) continue;
    let j = groupEnd(toks, i);
    if (j < 0 || j - i < 3 || !toks.slice(i + 1, j).every(foldable)) continue;
    j = extendMembers(toks, j);
    const ev = new Evaluator(budget);
    let r: unknown;
    try { r = ev.run(text.slice(toks[i].at, toks[j].end))[0]; } catch { continue; }
    if (typeof r !== 'string' || !r || r.length > 4096 || ev.tech.size === 0) continue;
    const v = r;
    ev.tech.forEach((x) => used.add(x));
    const call = i > 0 && (toks[i - 1].v === '&' || toks[i - 1].v === '.') && /^[\w-]+$/.test(v);
    // a simple word in argument position reads as the bare argument it stands for
    const bare = call || (!!prev && (prev.kind === 'word' || (prev.kind === 'punct' && /^[>)]$/.test(prev.v))) && /^[\w.:\\/*-]+$/.test(v));
    edits.push({ start: call ? toks[i - 1].at : t.at, end: toks[j].end, to: bare ? v : `'${v.replace(/'/g, "''")}'` });
    i = j;
  }
  if (!edits.length) return null;
  let out = '';
  let at = 0;
  for (const e of edits) { out += text.slice(at, e.start) + e.to; at = e.end; }
  out += text.slice(at);
  return out === text ? null : { technique: psTechnique(used) === 'iex' ? 'backtick' : psTechnique(used), text: out, start: 0, end: text.length };
}

/** Extends a folded group over constant member calls that follow it: ('a!b').Replace('!','\\'). */
function extendMembers(toks: Tok[], j: number): number {
  for (let n = 0; n < 20; n++) {
    const dot = toks[j + 1];
    const name = toks[j + 2];
    const open = toks[j + 3];
    if (!dot || dot.v !== '.' || dot.space || name?.kind !== 'word' || open?.v !== '(' || !/^(replace|tolower|toupper|trim|substring|split|insert|remove)$/i.test(name.v)) break;
    const e = groupEnd(toks, j + 3);
    if (e < 0 || !toks.slice(j + 4, e).every(foldable)) break;
    j = e;
  }
  return j;
}

function groupEnd(toks: Tok[], i: number): number {
  let d = 0;
  for (let k = i; k < toks.length && k < i + 5000; k++) {
    if (toks[k].kind !== 'punct') continue;
    if (toks[k].v === '(') d++;
    else if (toks[k].v === ')' && --d === 0) return k;
  }
  return -1;
}
