/**
 * The .NET members, static methods, casts, cmdlets and automatic variables that decoding idioms
 * use, evaluated over data: FromBase64String, Encoding.GetString, DeflateStream/GzipStream
 * (size-limited zlib), StreamReader.ReadToEnd, [char] casts, [array]::Reverse, [regex]::Matches
 * RightToLeft, Get-Variable / Set-Variable on the evaluator's own table, $PSHome / $ShellId /
 * $env: strings. Everything else is null.
 */
import { gunzipSync, inflateRawSync } from 'node:zlib';
import { windowsHost } from '../cmd/env.js';
import { secureStringText } from './securestring.js';
import { type EvalHost as Evaluator, bytes, char, isArr, isObj, list, MAX_VALUE, num, str, toRegExp, type Value } from './values.js';

/** Automatic variables obfuscators index into for characters (iex from $PSHome[4]+$PSHome[30]+'x'). */
const AUTO: Record<string, Value> = {
  pshome: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0', shellid: 'Microsoft.PowerShell', verbosepreference: 'SilentlyContinue',
  debugpreference: 'SilentlyContinue', erroractionpreference: 'Continue', warningpreference: 'Continue', confirmpreference: 'High',
  maximumdrivecount: 4096, maximumaliascount: 4096, maximumerrorcount: 256, maximumfunctioncount: 4096, maximumhistorycount: 4096,
  maximumvariablecount: 4096, true: true, false: false, null: null, '?': true, ofs: ' ', psculture: 'en-US', psuiculture: 'en-US',
  home: 'C:\\Users\\user', host: 'System.Management.Automation.Internal.Host.InternalHost', pid: 4242,
};

/** `$name` — the evaluator's variables, then automatic ones, then `$env:`. */
export function variableValue(ev: Evaluator, raw: string): Value {
  const name = raw.toLowerCase().replace(/^(script|global|local|private|variable):/, '');
  if (name.startsWith('env:')) {
    const want = name.slice(4);
    const hit = Object.entries(windowsHost().env).find(([k]) => k.toLowerCase() === want);
    return hit ? String(hit[1]) : null;
  }
  if (ev.vars.has(name)) return ev.vars.get(name)!;
  return name in AUTO ? AUTO[name] : null;
}

function wildcard(p: string): RegExp {
  return new RegExp(`^${p.slice(0, 100).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
}

/** Get-Variable with wildcards over the evaluator's table and the automatic variables. */
function getVariable(ev: Evaluator, pattern: string): Value {
  const re = wildcard(pattern.replace(/^variable:/i, ''));
  const names = [...new Set([...ev.vars.keys(), ...Object.keys(AUTO)])].filter((n) => re.test(n));
  const objs: Value[] = names.map((n) => ({ t: 'variable', name: autoCase(n), value: variableValue(ev, n) }));
  return objs.length === 1 ? objs[0] : objs.length ? objs : null;
}

const autoCase = (n: string): string => (n.startsWith('maximum') ? 'Maximum' + n[7].toUpperCase() + n.slice(8).replace('count', 'Count') : n);

type Args = { positional: Value[]; named: Map<string, Value>; blocks: { from: number; to: number }[] };

/** Cmdlets that matter for decoding; the name is lower case. */
export function runCommand(ev: Evaluator, name: string, a: Args, input: Value | undefined): Value {
  const n = name.replace(/^.*\\/, '');
  const first = a.positional[0] ?? a.named.get('name') ?? a.named.get('path') ?? null;
  if (/^(get-variable|gv|variable)$/.test(n)) return getVariable(ev, str(first));
  if (/^(get-command|gcm|command|get-alias|gal|alias)$/.test(n)) return str(first).replace(/^invoke-expression$/i, 'iex');
  if (/^(get-item|gi|item|get-childitem|gci|dir|ls|childitem)$/.test(n) && /^variable:/i.test(str(first))) return getVariable(ev, str(first));
  if (/^(set-variable|sv|set|set-item|si)$/.test(n)) {
    const value = a.positional[1] ?? a.named.get('value') ?? a.named.get('va') ?? input ?? null;
    ev.vars.set(str(first).toLowerCase().replace(/^variable:/, ''), value);
    return null;
  }
  if (/^(write-output|echo|write|out-string|write-host)$/.test(n)) return input ?? (a.positional.length === 1 ? a.positional[0] : a.positional);
  if (/^(new-object)$/.test(n)) return newObject(ev, a);
  if (/^(convertto-securestring)$/.test(n)) {
    const text = str(input ?? first);
    const key = a.named.get('key') ?? a.named.get('k') ?? null;
    const plain = key === null ? text : secureStringText(text, bytes(key as Value));
    if (plain === null) return null;
    ev.tech.add('securestring');
    return { t: 'securestring', text: plain };
  }
  return null;
}

function newObject(ev: Evaluator, a: Args): Value {
  let [type, ...rest] = a.positional;
  if (isArr(type)) [type, ...rest] = type;
  const t = str(type ?? a.named.get('typename') ?? '').toLowerCase().replace(/^system\./, '');
  const args = rest.length ? rest : list(a.named.get('argumentlist') ?? null);
  const input = args[0] ?? null;
  const src = isObj(input) && (input.t === 'stream' || input.t === 'bytes') ? input.b : bytes(isArr(input) && input.length === 1 ? input[0] : input);
  const limit = { maxOutputLength: Math.min(MAX_VALUE, ev.budget.room() * 2 + 1024) };
  try {
    if (t === 'io.memorystream') return src ? { t: 'stream', b: src } : null;
    if (t === 'io.compression.deflatestream' && src) { ev.tech.add('deflate'); return { t: 'stream', b: inflateRawSync(src, limit) }; }
    if (t === 'io.compression.gzipstream' && src) { ev.tech.add('gzip'); return { t: 'stream', b: gunzipSync(src, limit) }; }
  } catch { return null; }
  if (t === 'io.streamreader' && src) { const e = args[1]; return { t: 'reader', b: src, enc: isObj(e ?? null) && (e as { t: string }).t === 'encoding' ? (e as { name: string }).name : 'utf8' }; }
  return null;
}

/** Decodes bytes the way an Encoding's GetString does. */
export function decodeBytes(b: Buffer, enc: string): string {
  const e = enc.toLowerCase();
  const s = b.subarray(0, MAX_VALUE);
  if (e === 'unicode') return s.toString('utf16le');
  if (e === 'bigendianunicode') return Buffer.from(s).swap16().toString('utf16le');
  if (e === 'ascii') return s.toString('latin1').replace(/[\x80-\xff]/g, '?');
  if (e === 'utf32') return String.fromCodePoint(...new Uint32Array(s.buffer.slice(s.byteOffset, s.byteOffset + (s.length & ~3))).filter((c) => c < 0x110000));
  return s.toString(e === 'default' ? 'latin1' : 'utf8');
}

const ENCODINGS = new Set(['unicode', 'utf8', 'ascii', 'utf32', 'utf7', 'default', 'bigendianunicode']);

/** `[type]::member(args)`; type lower case without `system.`. */
export function callStatic(ev: Evaluator, type: string, m: string, args: Value[] | null): Value {
  // without an argument list only properties are values; a method name alone is a reference
  if (args === null && !ENCODINGS.has(m) && !/compressionmode$/.test(type)) return null;
  const a = args ?? [];
  if (/^(text\.)?encoding$/.test(type) && ENCODINGS.has(m)) return { t: 'encoding', name: m };
  if (type === 'convert') return convert(ev, m, a);
  if (type === 'string' && m === 'join') { ev.tech.add('join'); return list(a.length > 2 ? a.slice(1) : a[1] ?? null).map((x) => str(x)).join(str(a[0] ?? '')); }
  if (type === 'string' && m === 'concat') { ev.tech.add('string-concat'); return a.map((x) => str(x, '')).join(''); }
  if (type === 'string' && m === 'format') { ev.tech.add('format-operator'); return callMember(ev, str(a[0] ?? ''), 'format', a.slice(1)); }
  if (type === 'array' && m === 'reverse') return reverseVar(ev, a[0] ?? null);
  if (type === 'regex' && m === 'matches') {
    const re = toRegExp(str(a[1] ?? '.'), 'g');
    const ms = re ? (str(a[0] ?? '').slice(0, MAX_VALUE).match(re) ?? []) : [];
    if (/righttoleft/i.test(str(a[2] ?? ''))) { ev.tech.add('reverse'); ms.reverse(); }
    return ms;
  }
  if (type === 'char' && m === 'convertfromutf32') return String.fromCodePoint(num(a[0] ?? 0) & 0x1fffff);
  if (type === 'scriptblock' && m === 'create') { ev.invoke(a[0] ?? null, 0); return null; }
  if (/marshal$/.test(type)) return a[0] !== undefined && isObj(a[0]) && a[0].t === 'securestring' ? a[0].text : a[0] ?? null;
  if (/compressionmode$/.test(type)) return m;
  return null;
}

function convert(ev: Evaluator, m: string, a: Value[]): Value {
  if (m === 'frombase64string') {
    const s = str(a[0] ?? '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
    ev.tech.add('frombase64string');
    return { t: 'bytes', b: Buffer.from(s.slice(0, MAX_VALUE * 2), 'base64') };
  }
  if (/^to(int16|int32|int64|byte|uint16|uint32|char)$/.test(m)) {
    const base = a[1] === undefined ? 10 : num(a[1]);
    const n = typeof a[0] === 'string' ? parseInt(a[0].trim(), [2, 8, 10, 16].includes(base) ? base : 10) : num(a[0] ?? 0);
    ev.tech.add(base === 16 ? 'hex' : base === 8 ? 'octal' : base === 2 ? 'binary' : 'char-array');
    return m === 'tochar' ? char(n) : n;
  }
  if (m === 'tostring') return a[1] !== undefined ? num(a[0] ?? 0).toString(num(a[1])) : str(a[0] ?? null);
  return null;
}

function reverseVar(ev: Evaluator, v: Value): Value {
  ev.tech.add('reverse');
  for (const [k, val] of ev.vars) if (val === v) { ev.vars.set(k, isArr(val) ? [...val].reverse() : val); return null; }
  return null;
}

/** `value.member(args)` (args null for a property); member lower case. */
export function callMember(ev: Evaluator, v: Value, m: string, args: Value[] | null): Value {
  const a = args ?? [];
  if (isObj(v)) return objectMember(ev, v, m, a);
  if (isArr(v) && (m === 'count' || m === 'length')) return v.length;
  if (isArr(v) && args === null) return v.map((x) => callMember(ev, x, m, null));
  const s = str(v, ev.ofs);
  // a method named without a call is its definition string, which obfuscators index for letters
  if (args === null && m in STRING_METHODS) return STRING_METHODS[m];
  switch (m) {
    case 'length': return s.length;
    case 'replace': ev.tech.add('replace'); return a.length >= 2 ? s.split(str(a[0])).join(str(a[1])).slice(0, MAX_VALUE) : s;
    case 'split': ev.tech.add('split'); return splitChars(s, str(a[0] ?? ' '));
    case 'tochararray': return [...s.slice(0, MAX_VALUE)];
    case 'tolower': case 'tolowerinvariant': return s.toLowerCase();
    case 'toupper': case 'toupperinvariant': return s.toUpperCase();
    case 'trim': return a.length ? trimChars(s, str(a[0]), 3) : s.trim();
    case 'trimstart': return a.length ? trimChars(s, str(a[0]), 1) : s.trimStart();
    case 'trimend': return a.length ? trimChars(s, str(a[0]), 2) : s.trimEnd();
    case 'substring': return a.length > 1 ? s.substr(num(a[0]), num(a[1])) : s.slice(num(a[0] ?? 0));
    case 'insert': return s.slice(0, num(a[0] ?? 0)) + str(a[1] ?? '') + s.slice(num(a[0] ?? 0));
    case 'remove': return a.length > 1 ? s.slice(0, num(a[0])) + s.slice(num(a[0]) + num(a[1])) : s.slice(0, num(a[0] ?? 0));
    case 'tostring': return s;
    case 'format': ev.tech.add('format-operator'); return callFormat(ev, s, a);
    case 'normalize': return s;
    case 'chars': return s[num(a[0] ?? 0)] ?? null;
    case 'invoke': return null;
    default: return null;
  }
}

/** OverloadDefinitions of System.String methods, as PowerShell prints a method without a call. */
const STRING_METHODS: Record<string, string> = {
  insert: 'string Insert(int startIndex, string value)',
  normalize: 'string Normalize(), string Normalize(System.Text.NormalizationForm normalizationForm)',
  remove: 'string Remove(int startIndex, int count), string Remove(int startIndex)',
  replace: 'string Replace(char oldChar, char newChar), string Replace(string oldValue, string newValue)',
  chars: 'char Chars(int index) {get;}',
};

function callFormat(ev: Evaluator, s: string, a: Value[]): Value {
  return s.replace(/\{(\d+)\}/g, (_m, i: string) => str(a[Number(i)] ?? null, ev.ofs));
}

function objectMember(ev: Evaluator, v: Exclude<Value, string | number | boolean | null | Value[]>, m: string, a: Value[]): Value {
  if (v.t === 'variable') return m === 'name' ? v.name : m === 'value' ? v.value : null;
  if (v.t === 'encoding' && m === 'getstring') {
    const b = bytes(a[0] ?? null);
    if (!b) return null;
    ev.tech.add(`getstring-${v.name}`);
    return decodeBytes(b, v.name);
  }
  if (v.t === 'reader' && m === 'readtoend') return decodeBytes(v.b, v.enc);
  if (v.t === 'bytes' && (m === 'length' || m === 'count')) return v.b.length;
  if (v.t === 'securestring') return m === 'tostring' ? 'System.Security.SecureString' : null;
  return null;
}

function splitChars(s: string, chars: string): string[] {
  if (!chars) return [s];
  const set = new Set(chars);
  const out: string[] = [];
  let cur = '';
  for (const c of s.slice(0, MAX_VALUE)) { if (set.has(c)) { out.push(cur); cur = ''; } else cur += c; }
  out.push(cur);
  return out;
}

function trimChars(s: string, chars: string, which: 1 | 2 | 3): string {
  let a = 0;
  let b = s.length;
  if (which & 1) while (a < b && chars.includes(s[a])) a++;
  if (which & 2) while (b > a && chars.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

/** `[type]value`; type as written (case-insensitive). */
export function cast(ev: Evaluator, type: string, v: Value): Value {
  const t = type.toLowerCase().replace(/^system\./, '');
  if (t === 'char') { ev.tech.add('char-array'); return isArr(v) ? v.map(char) : char(v); }
  if (t === 'char[]') { ev.tech.add('char-array'); return typeof v === 'string' ? [...v.slice(0, MAX_VALUE)] : list(v).map(char); }
  if (t === 'string') return str(v, ev.ofs);
  if (t === 'string[]') return list(v).map((x) => str(x));
  if (/^(int|int16|int32|int64|long|byte|uint16|uint32|double|decimal|single)$/.test(t)) return isArr(v) ? v.map(num) : typeof v === 'string' && v.length === 1 && !/\d/.test(v) ? v.charCodeAt(0) : num(v);
  if (t === 'byte[]') { const b = bytes(typeof v === 'string' ? [...v].map((c) => c.charCodeAt(0)) : v); return b ? { t: 'bytes', b } : null; }
  if (t === 'array' || t === 'object[]') return list(v);
  if (t === 'scriptblock') { ev.invoke(v, 0); return null; }
  if (t === 'type') return { t: 'type', name: str(v).replace(/^\[|\]$/g, '') };
  return v;
}
