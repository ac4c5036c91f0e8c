/**
 * Windows command-line tokenizing: CommandLineToArgvW (the MSVC runtime rules every C program and
 * powershell.exe use) and cmd.exe's own view of a line (carets, quotes, /c extraction).
 * Inputs are attacker-controlled: everything is a single linear scan, bounded by MAX_CMDLINE.
 */

/** Longest command line we parse; Windows caps at 32 767 UTF-16 units, we allow some slack. */
export const MAX_CMDLINE = 64 * 1024;

const isWs = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** Splits a command line exactly as CommandLineToArgvW does (argv[0] has no backslash rules). */
export function winArgv(cmdline: string): string[] {
  const s = cmdline.length > MAX_CMDLINE ? cmdline.slice(0, MAX_CMDLINE) : cmdline;
  const out: string[] = [];
  let i = 0;
  while (i < s.length && isWs(s[i])) i++;
  if (i >= s.length) return out;
  // argv[0]: quoted up to the next quote, else up to whitespace.
  if (s[i] === '"') {
    const end = s.indexOf('"', i + 1);
    out.push(s.slice(i + 1, end < 0 ? s.length : end));
    i = end < 0 ? s.length : end + 1;
  } else {
    const st = i;
    while (i < s.length && !isWs(s[i])) i++;
    out.push(s.slice(st, i));
  }
  while (i < s.length) {
    while (i < s.length && isWs(s[i])) i++;
    if (i >= s.length) break;
    const r = readArg(s, i);
    out.push(r.arg);
    i = r.next;
  }
  return out;
}

/** Reads one argument from position i with the 2n / 2n+1 backslash rules and "" inside quotes. */
function readArg(s: string, start: number): { arg: string; next: number } {
  let arg = '';
  let inQ = false;
  let i = start;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\') {
      let n = 0;
      while (s[i] === '\\') { n++; i++; }
      if (s[i] === '"') {
        arg += '\\'.repeat(n >> 1);
        if (n & 1) { arg += '"'; i++; }
      } else arg += '\\'.repeat(n);
      continue;
    }
    if (c === '"') {
      if (inQ && s[i + 1] === '"') { arg += '"'; i += 2; continue; }
      inQ = !inQ; i++; continue;
    }
    if (!inQ && isWs(c)) break;
    arg += c; i++;
  }
  return { arg, next: i };
}

/** cmd.exe's caret rule: outside double quotes `^x` is a literal x, a lone trailing caret vanishes. */
export function stripCarets(s: string): string {
  let out = '';
  let inQ = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') inQ = !inQ;
    if (c === '^' && !inQ) { i++; if (i < s.length) out += s[i]; continue; }
    out += c;
  }
  return out;
}

/** Options cmd.exe takes before /c, /k or /r. */
const CMD_SWITCH = /^[/-](?:q|d|a|u|s|e:(?:on|off)|f:(?:on|off)|v:(?:on|off)|t:[0-9a-f]{1,2}|b)$/i;

/**
 * The command text cmd.exe runs for `cmd [switches] /c|/k|/r text`, with cmd's quote stripping
 * (first and last quote removed unless exactly two quotes surround the text). Null when none.
 */
export function cmdScript(cmdline: string): { text: string; keep: boolean } | null {
  const s = cmdline.length > MAX_CMDLINE ? cmdline.slice(0, MAX_CMDLINE) : cmdline;
  let i = skipArg0(s);
  let strip = false;
  while (i < s.length) {
    while (i < s.length && isWs(s[i])) i++;
    const st = i;
    while (i < s.length && !isWs(s[i]) && s[i] !== '"') i++;
    const tok = stripCarets(s.slice(st, i));
    const m = /^[/-]([ckr])/i.exec(tok);
    if (m) {
      // the switch letter may itself carry carets (/^c): skip past it in the raw text
      const at = s.slice(st, i).search(/[ckr]/i) + 1;
      return { text: cmdUnquote(s.slice(st + at).replace(/^\s+/, ''), strip), keep: m[1].toLowerCase() === 'k' };
    }
    if (!CMD_SWITCH.test(tok)) return null;
    if (tok.toLowerCase().endsWith('s')) strip = true;
  }
  return null;
}

function skipArg0(s: string): number {
  let i = 0;
  while (i < s.length && isWs(s[i])) i++;
  if (s[i] === '"') { const e = s.indexOf('"', i + 1); return e < 0 ? s.length : e + 1; }
  // cmd.exe's own name may be followed directly by a switch: cmd.exe/c whoami
  while (i < s.length && !isWs(s[i]) && s[i] !== '/') i++;
  return i;
}

function cmdUnquote(text: string, forceStrip: boolean): string {
  if (!text.startsWith('"')) return text;
  const quotes = text.split('"').length - 1;
  const last = text.lastIndexOf('"');
  const simple = quotes === 2 && !/[&<>()@^|]/.test(text) && last === text.length - 1 && /\s/.test(text);
  if (!forceStrip && simple) return text;
  return text.slice(1, last) + text.slice(last + 1);
}
